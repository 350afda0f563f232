// Package onnx carries nerve models to and from ONNX, the format that ONNX
// Runtime, onnxruntime-web, Triton, ML.NET and phone runtimes serve: train
// here, serve anywhere; or train an MLP in PyTorch and run it in Go
// without cgo.
//
// Export writes a model.Model as an ONNX graph (IR version 7, opset 13 by
// default, up to 21) with the model's standardisation inside: input
// "input" [N, features]; Sub, Div; one Gemm and its activation per layer;
// outputs "label" and "probabilities" for a classifier, "predictions" for
// a regressor (target scaling undone). Import reads such a graph, or the
// graph torch.onnx.export writes for an nn.Sequential of Linear layers and
// activations, back into a model; it refuses anything else in one line
// naming the node.
//
// The protobuf messages are encoded and decoded by hand with
// google.golang.org/protobuf/encoding/protowire, only the fields an MLP
// needs (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto, TypeProto, OperatorSetIdProto, StringStringEntryProto):
// generated ONNX types would register the global protobuf names onnx.*,
// and a program linking another ONNX package would then panic at start.
//
// Models with categorical columns (one input per original column,
// imputation, one-hot) are not exported yet: Export's graph starts at the
// numeric feature matrix, and a categorical front end would add its
// inputs and nodes before the standardisation (see builder in export.go).
package onnx
