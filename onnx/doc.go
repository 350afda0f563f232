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
// A model with table preprocessing (text categories, missing cells) takes
// one input per raw column instead, named after it: float [N, 1] with NaN
// for a missing cell, or string [N, 1] with the cell's text. The graph
// imputes, standardises and one-hot encodes as the model file does (an
// unseen category gives zeros), and metadata_props "nerve.inputs" lists
// the columns, their types and input names. Cells are compared as given:
// trim them of surrounding white space, as nerve does when it reads a
// table. ONNX Runtime 1.30 refuses an empty batch (N = 0) in the
// TfIdfVectorizer these graphs one-hot encode with: send at least one
// row. Import reads such a graph back when it carries the metadata Export
// writes.
package onnx
