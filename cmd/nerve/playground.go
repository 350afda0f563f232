package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nerve-ml/nerve/playground"
)

// playgroundConfig is what the playground command line says.
type playgroundConfig playground.Options

func (c *playgroundConfig) flags(f *flagSet) {
	f.String(&c.Addr, "addr", "listen on `HOST:PORT` (port 0: a free one)")
	f.Bool(&c.NoBrowser, "no-browser", "do not open the page in the browser")
}

func playgroundAbout(w io.Writer) {
	fmt.Fprint(w, `Playground serves a page, from this binary and this machine only, on which
you pick a dataset, the input features and the hidden layers, press play
and watch the network learn: the output over the plane, every neuron, the
weights and their gradients, the loss. Step mode shows one training
iteration with every matrix, as nerve trace does. The whole setup is in the
page's address, so a bookmark reproduces a run. Ctrl-C stops the server.
docs/playground.md describes the page and its API.
`)
}

func (c *playgroundConfig) run(ctx context.Context, _ []string, stdout, _ io.Writer) error {
	return playground.Run(ctx, playground.Options(*c), stdout)
}
