package main

import (
	"context"
	"fmt"
	"io"
)

func helpCommand() *command {
	return &command{
		name:  "help",
		args:  "[COMMAND]",
		short: "show help for nerve or one of its commands",
		help: func(w io.Writer) {
			fmt.Fprint(w, `Usage: nerve help [COMMAND]

Help prints nerve's usage, or with COMMAND that command's arguments and
flags, to standard output.
`)
		},
		run: runHelp,
	}
}

func runHelp(_ context.Context, args []string, stdout, _ io.Writer) error {
	switch len(args) {
	case 0:
		printUsage(stdout)
		return nil
	case 1:
		name := args[0]
		if name == "-h" || name == "-help" || name == "--help" {
			name = "help"
		}
		c := lookupCommand(name)
		if c == nil {
			return usagef("help: unknown command %q (want one of %s)", args[0], commandNames())
		}
		c.help(stdout)
		return nil
	default:
		return usagef("help: want at most one command, got %d arguments", len(args))
	}
}
