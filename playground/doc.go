// Package playground is nerve's TensorFlow Playground: a page served from
// the binary on which a learner picks a dataset, the input features and
// the layers, presses play and watches the decision boundary bend, while
// the training runs in Go on nerve's own nn, optim and train code.
//
// A Session is one run: Reset builds the data and the network a State
// describes, Step trains one epoch, Frame draws the output and every
// neuron over the plane. Server is the http.Handler that serves the page
// (plain HTML, CSS and JavaScript embedded with go:embed, no external
// requests) and an API under /api/: reset, step and play as plain HTTP
// requests, frames as Server-Sent Events, plus CSV upload, the step-by-step
// trace of one iteration (package trace) and downloads of the data, the
// model and the equivalent nerve command lines. The page talks to these
// through a small back-end object (reset, step, play, subscribe), so that
// a WebAssembly build of Session could stand in for the server.
//
// The URL hash holds the whole State (see State.Encode and ParseState);
// docs/playground.md lists the keys, the element ids and the API.
package playground
