package main

import (
	"context"
	"fmt"
	"io"
)

func helpAbout(w io.Writer) {
	fmt.Fprint(w, `Help prints nerve's usage, or with COMMAND that command's arguments and
flags, to standard output.
`)
}

func runHelp(_ context.Context, pos []string, stdout, _ io.Writer) error {
	if len(pos) == 0 {
		printUsage(stdout)
		return nil
	}
	c := lookupCommand(pos[0])
	if c == nil {
		return usagef("help: unknown command %q (want one of %s)", pos[0], commandNames())
	}
	c.help(stdout)
	return nil
}
