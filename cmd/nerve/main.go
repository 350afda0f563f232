// Command nerve is the command line of the nerve neural-network library.
//
// Usage:
//
//	nerve <command> [arguments]
//
// Commands:
//
//	train     train a network on a CSV or IDX file (or the embedded iris data)
//	predict   predict with a trained model, CSV out
//	evaluate  score a trained model on labelled data
//	inspect   show a model file's header and network summary
//	demo      run one of the classic "neural network from scratch" tutorials
//	trace     show one training iteration step by step, every matrix
//	plot      draw a loss curve, decision boundary, network diagram or activations
//	gradcheck compare a network's gradients with finite differences
//	bench     time training (or inference) of an MLP on synthetic data
//	help      show help for nerve or one of its commands
//
// Errors print as "nerve: <what went wrong>" on standard error. The exit
// status is 0 on success, 1 when a command fails and 2 when the command
// line itself is wrong.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(report(err, os.Stderr))
}

// command is one subcommand of nerve. Adding a command means writing a
// file that defines one of these and listing it in commands.
type command struct {
	name  string // as typed after "nerve"
	args  string // what follows the name in the usage line, e.g. "[NAME] [flags]"
	short string // one line for the command list
	// help writes the command's full help (usage line, description,
	// flags) to w.
	help func(w io.Writer)
	// run runs the command with the arguments after its name.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands returns nerve's subcommands in the order "nerve help" lists
// them. It is a function, not a variable, because help refers back to it.
func commands() []*command {
	return []*command{
		trainCommand(),
		predictCommand(),
		evaluateCommand(),
		inspectCommand(),
		demoCommand(),
		traceCommand(),
		plotCommand(),
		gradcheckCommand(),
		benchCommand(),
		helpCommand(),
	}
}

// lookupCommand returns the command with the given name, or nil.
func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// commandNames lists the commands' names, comma-separated.
func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// usageError is an error in the command line rather than in what the
// command did: an unknown command or flag, a flag value out of range. It
// makes nerve exit with status 2.
type usageError struct {
	msg string
}

func (e *usageError) Error() string { return e.msg }

// usagef returns a *usageError with a formatted message.
func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// run runs nerve with the command-line arguments args (without the
// program name). Regular output goes to stdout; help asked for with -h or
// "help" goes to stdout too, while usage printed because of a mistake goes
// to stderr. It returns a *usageError for a bad command line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given (want one of %s)", commandNames())
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printUsage(stdout)
		return nil
	}
	c := lookupCommand(name)
	if c == nil {
		if strings.HasPrefix(name, "-") {
			return usagef("unknown flag %s before the command (want a command: %s)", name, commandNames())
		}
		return usagef("unknown command %q (want one of %s)", name, commandNames())
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

// report prints err, if any, as one "nerve: ..." line on stderr and
// returns the exit status: 0 for nil, 2 for a *usageError, 1 otherwise.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "interrupted"
	}
	// Keep the message on one line whatever an error below us produced.
	msg = strings.ReplaceAll(strings.TrimSpace(msg), "\n", "; ")
	fmt.Fprintf(stderr, "nerve: %s\n", msg)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// printUsage writes nerve's top-level usage to w.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `nerve is the command line of nerve, a small neural-network library.

Usage:

	nerve <command> [arguments]

Commands:

`)
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-10s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Run "nerve help <command>" for a command's arguments and flags.
`)
}
