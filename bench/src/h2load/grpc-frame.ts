import fs from 'node:fs';

/** A service method's request serializer, as grpc-js service definitions carry it. */
export interface RequestSerializer<Req> {
  requestSerialize(request: Req): Buffer;
}

/**
 * One gRPC length-prefixed message (1 byte "not compressed", 4 bytes big-endian length, the protobuf
 * bytes): the whole body of a unary call, so a plain HTTP/2 client can replay it.
 */
export function grpcFrame<Req>(method: RequestSerializer<Req>, request: Req): Buffer {
  const message = method.requestSerialize(request);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** Writes the frame of `request` to `file` (what h2load sends with `-d`) and returns the path. */
export function writeGrpcFrame<Req>(file: string, method: RequestSerializer<Req>, request: Req): string {
  fs.writeFileSync(file, grpcFrame(method, request));
  return file;
}
