"""Reads a feature set from the registry files (docs/registry.md) and encodes rows into its vector.

The encoding is the feature-service's, so a matrix built here is the matrix the model sees online:
float32 values in the feature set's column order; float and int as numbers; bool as 0/1; categorical
`ordinal` as the level's 0-based index; `one_hot` as one 0/1 column per level named `feature=level`;
on-demand features evaluated in IEEE double from the context fields and stored features (by name),
a result that is not finite as float32 replaced by the feature's default, then rounded to float32.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from expression import Expression


class RegistryError(ValueError):
    """The registry files do not describe what the training script needs."""


@dataclass
class Feature:
    name: str
    source: str  # "context" | "stored" | "on_demand"
    type: str  # "float" | "int" | "bool" | "categorical"
    default: object
    levels: list[str] = field(default_factory=list)
    encoding: str = "ordinal"
    view: str = ""
    expression: Expression | None = None

    @property
    def columns(self) -> list[str]:
        if self.type == "categorical" and self.encoding == "one_hot":
            return [f"{self.name}={level}" for level in self.levels]
        return [self.name]


@dataclass
class FeatureSet:
    name: str
    join_key: str
    join_key_type: str
    context_fields: dict[str, Feature]
    features: list[Feature]
    views: dict[str, dict]

    @property
    def columns(self) -> list[str]:
        return [column for feature in self.features for column in feature.columns]

    def stored_features(self) -> list[Feature]:
        return [f for f in self.features if f.source == "stored"]


def _read_definitions(registry_path: Path) -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = {"entities": [], "feature_views": [], "on_demand_features": [], "feature_sets": []}
    for path in sorted(registry_path.glob("*.yaml")):
        document = yaml.safe_load(path.read_text()) or {}
        for key in merged:
            merged[key].extend(document.get(key) or [])
    return merged


def _typed_default(spec: dict, where: str) -> object:
    if "default" not in spec:
        raise RegistryError(f"{where}.default is required")
    value = spec["default"]
    kind = spec["type"]
    if kind == "categorical":
        if value not in spec.get("levels", []):
            raise RegistryError(f"{where}.default {value!r} is not one of its levels")
        return value
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return float(value)


def load_feature_set(registry_path: Path, name: str) -> FeatureSet:
    definitions = _read_definitions(registry_path)
    sets = {s["name"]: s for s in definitions["feature_sets"]}
    if name not in sets:
        raise RegistryError(f"feature set {name!r} not found under {registry_path}")
    spec = sets[name]
    entities = {e["name"]: e for e in definitions["entities"]}
    if len(spec["entities"]) != 1:
        raise RegistryError(f"feature set {name!r}: the training script handles exactly one entity")
    entity = entities[spec["entities"][0]]
    views = {v["name"]: v for v in definitions["feature_views"]}
    on_demand = {o["name"]: o for o in definitions["on_demand_features"]}

    context_fields: dict[str, Feature] = {}
    for index, field_spec in enumerate(spec.get("context", [])):
        where = f"feature_sets[{name}].context[{index}]"
        required = bool(field_spec.get("required", False))
        default = None if required and "default" not in field_spec else _typed_default(field_spec, where)
        context_fields[field_spec["name"]] = Feature(
            name=field_spec["name"],
            source="context",
            type=field_spec["type"],
            default=default,
            levels=list(field_spec.get("levels", [])),
            encoding=field_spec.get("encoding", "ordinal"),
        )

    features: list[Feature] = []
    for reference in spec["features"]:
        source, _, feature_name = reference.partition(".")
        if source == "context":
            features.append(context_fields[feature_name])
        elif source == "on_demand":
            od = on_demand[feature_name]
            features.append(
                Feature(
                    name=od["name"],
                    source="on_demand",
                    type=od.get("type", "float"),
                    default=_typed_default({"type": od.get("type", "float"), **od}, f"on_demand[{feature_name}]"),
                    expression=Expression(od["expression"]),
                )
            )
        else:
            view = views.get(source)
            if view is None:
                raise RegistryError(f"feature set {name!r}: unknown view {source!r} in {reference!r}")
            if view["entity"] != entity["name"]:
                raise RegistryError(f"view {source!r} is not keyed by entity {entity['name']!r}")
            by_name = {f["name"]: f for f in view["features"]}
            feature_spec = by_name[feature_name]
            features.append(
                Feature(
                    name=feature_name,
                    source="stored",
                    type=feature_spec["type"],
                    default=_typed_default(feature_spec, f"feature_views[{source}].features[{feature_name}]"),
                    levels=list(feature_spec.get("levels", [])),
                    encoding=feature_spec.get("encoding", "ordinal"),
                    view=source,
                )
            )

    numeric_names = {f.name for f in features if f.source == "stored" and f.type != "categorical"}
    numeric_names |= {n for n, f in context_fields.items() if f.type != "categorical"}
    for feature in features:
        if feature.expression is not None:
            for identifier in feature.expression.identifiers:
                if identifier not in numeric_names:
                    raise RegistryError(
                        f"on-demand {feature.name!r}: {identifier!r} is not a numeric context field or stored "
                        f"feature of feature set {name!r}"
                    )
    return FeatureSet(
        name=name,
        join_key=entity["join_key"],
        join_key_type=entity["type"],
        context_fields=context_fields,
        features=features,
        views=views,
    )


def _numeric(feature: Feature, value: object) -> float:
    """A present context/stored value as the double an expression sees."""
    if feature.type == "bool":
        return 1.0 if value else 0.0
    return float(value)  # type: ignore[arg-type]


def _encode(feature: Feature, value: object) -> list[np.float32]:
    if feature.type == "categorical":
        index = feature.levels.index(value)  # callers pass known levels only
        if feature.encoding == "one_hot":
            return [np.float32(1.0 if i == index else 0.0) for i in range(len(feature.levels))]
        return [np.float32(index)]
    if feature.type == "bool":
        return [np.float32(1.0 if value else 0.0)]
    return [np.float32(float(value))]  # type: ignore[arg-type]


def stored_value(feature: Feature, raw: object) -> object:
    """What the feature-service reads back for a stored value: None/unknown level → the default."""
    if raw is None:
        return feature.default
    if feature.type == "categorical":
        return raw if raw in feature.levels else feature.default
    if feature.type == "int":
        number = float(raw)  # type: ignore[arg-type]
        if number != int(number):
            raise RegistryError(f"{feature.name}: {raw!r} is not an integer")
        return int(number)
    if feature.type == "bool":
        return bool(raw)
    return float(raw)  # type: ignore[arg-type]


def encode_row(feature_set: FeatureSet, context: dict[str, object], stored: dict[str, object]) -> np.ndarray:
    """One vector. `context` holds every context field; `stored` the view values (None = missing)."""
    values: dict[str, object] = {}
    for name, field_spec in feature_set.context_fields.items():
        value = context.get(name)
        if value is None:
            if field_spec.default is None:
                raise RegistryError(f"context.{name} is required")
            value = field_spec.default
        if field_spec.type == "categorical" and value not in field_spec.levels:
            raise RegistryError(f"context.{name}: {value!r} is not a declared level")
        values[name] = value
    for feature in feature_set.stored_features():
        values[feature.name] = stored_value(feature, stored.get(feature.name))

    numeric = {
        name: _numeric(feature_set.context_fields[name], value)
        for name, value in values.items()
        if name in feature_set.context_fields and feature_set.context_fields[name].type != "categorical"
    }
    for feature in feature_set.stored_features():
        if feature.type != "categorical":
            numeric[feature.name] = _numeric(feature, values[feature.name])

    vector: list[np.float32] = []
    for feature in feature_set.features:
        if feature.expression is not None:
            result = feature.expression.evaluate(numeric)
            # Finite means finite as float32 (a double beyond float32's range is as unusable as Infinity).
            with np.errstate(over="ignore"):
                finite = bool(np.isfinite(np.float32(result)))
            vector.extend(_encode(feature, result if finite else feature.default))
        else:
            vector.extend(_encode(feature, values[feature.name]))
    return np.array(vector, dtype=np.float32)
