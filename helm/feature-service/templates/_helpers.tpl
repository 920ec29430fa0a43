{{/*
Expand the name of the chart.
*/}}
{{- define "feature-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name (63 characters at most: some Kubernetes name fields are
limited to that by the DNS naming spec). If the release name contains the chart name, it is used as is.
*/}}
{{- define "feature-service.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "feature-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "feature-service.labels" -}}
helm.sh/chart: {{ include "feature-service.chart" . }}
{{ include "feature-service.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: {{ .Chart.Name }}
app.kubernetes.io/part-of: tally
{{- end }}

{{/*
Selector labels
*/}}
{{- define "feature-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "feature-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "feature-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "feature-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The container image; the tag defaults to the chart's appVersion.
*/}}
{{- define "feature-service.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
OTEL_RESOURCE_ATTRIBUTES: where the pod runs, plus what the values add.
*/}}
{{- define "feature-service.otelResourceAttributes" -}}
{{- $attributes := list (printf "k8s.namespace.name=%s" .Release.Namespace) (printf "service.version=%s" (default .Chart.AppVersion .Values.image.tag)) }}
{{- range $key, $value := .Values.otel.resourceAttributes }}
{{- $attributes = append $attributes (printf "%s=%s" $key $value) }}
{{- end }}
{{- join "," $attributes }}
{{- end }}

{{/*
Refuses values that would split the data: a SQLite STORE_URL is a file inside each pod, so it renders
only as an explicit single-replica demo. values.schema.json says the same; this message says what to do.
*/}}
{{- define "feature-service.checkStore" -}}
{{- if not .Values.store.existingSecret.name }}
{{- if not .Values.store.singleReplicaDemo }}
{{- fail "feature-service store: no store.existingSecret.name, so STORE_URL would be a SQLite file inside each pod and every replica would see different data. Set store.existingSecret.name to a Secret holding STORE_URL=mysql://... (production), or for a one-pod demo set store.singleReplicaDemo=true, replicaCount=1 and autoscaling.enabled=false" }}
{{- end }}
{{- if or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled }}
{{- fail (printf "feature-service store: store.singleReplicaDemo runs on a per-pod SQLite file and allows one replica only, but replicaCount is %d and autoscaling.enabled is %t: set replicaCount=1 and autoscaling.enabled=false, or use store.existingSecret.name" (int .Values.replicaCount) .Values.autoscaling.enabled) }}
{{- end }}
{{- end }}
{{- end }}
