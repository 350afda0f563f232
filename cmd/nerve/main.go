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
//	inspect   show a model file's header and network summary (or describe a CSV table)
//	describe  describe a CSV table's columns and what train will do with each
//	export    write a model as ONNX, to serve with any ONNX runtime
//	import    read an ONNX MLP (from nerve export or PyTorch) into a model file
//	demo      run one of the classic "neural network from scratch" tutorials
//	trace     show one training iteration step by step, every matrix
//	plot      draw a loss curve, decision boundary, network diagram or activations
//	gradcheck compare a network's gradients with finite differences
//	bench     time training (or inference) of an MLP on synthetic data
//	serve     serve a trained model over HTTP (KServe V2, /predict, /metrics)
//	data      write one of TensorFlow Playground's datasets as CSV
//	playground train a network in the browser, TensorFlow Playground style
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
	// about writes what the command does, for its help: the text
	// between the usage line and the list of flags.
	about func(w io.Writer)
	// maxArgs is the most positional arguments the command takes;
	// argName names one of them in the message when there are more.
	maxArgs int
	argName string
	// define defines the command's flags, with their defaults, on f and
	// returns the function that runs the command once f has parsed the
	// command line; pos are the positional arguments.
	define func(f *flagSet) runFunc
}

// runFunc runs a command whose flags are parsed.
type runFunc func(ctx context.Context, pos []string, stdout, stderr io.Writer) error

// config is what a command with flags keeps its command line in: flags
// defines the flags on f, writing into the config, and run runs the
// command once they are parsed.
type config interface {
	flags(f *flagSet)
	run(ctx context.Context, pos []string, stdout, stderr io.Writer) error
}

// withFlags returns the define function of a command whose
// configuration is a C, with the defaults def: each call defines the
// flags on a fresh copy of def.
func withFlags[C any, P interface {
	*C
	config
}](def C) func(f *flagSet) runFunc {
	return func(f *flagSet) runFunc {
		c := def
		P(&c).flags(f)
		return P(&c).run
	}
}

// withoutFlags returns the define function of a command that has no
// flags.
func withoutFlags(run runFunc) func(f *flagSet) runFunc {
	return func(*flagSet) runFunc { return run }
}

// run parses the command's arguments (printing its help to stdout for -h
// or --help) and runs it.
func (c *command) run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlagSet(c.name)
	run := c.define(f)
	pos, err := f.parse(args)
	if errors.Is(err, errHelp) {
		c.help(stdout)
		return nil
	}
	if err != nil {
		return err
	}
	if len(pos) > c.maxArgs {
		if c.maxArgs == 0 {
			return usagef("%s: unexpected argument %q", c.name, pos[0])
		}
		return usagef("%s: want at most one %s, got %d: %s", c.name, c.argName, len(pos), strings.Join(pos, " "))
	}
	if err := run(ctx, pos, stdout, stderr); err != nil {
		return err // in one line, without notes
	}
	for _, note := range f.notes() {
		fmt.Fprintf(stderr, "nerve: note: %s\n", note)
	}
	return nil
}

// help writes the command's full help to w: the usage line, what it does
// and its flags.
func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: nerve %s %s\n\n", c.name, c.args)
	c.about(w)
	f := newFlagSet(c.name)
	c.define(f)
	if f.hasFlags() {
		fmt.Fprint(w, "\nFlags:\n\n")
		f.printDefaults(w)
	}
}

// commands returns nerve's subcommands in the order "nerve help" lists
// them. It is a function, not a variable, because help refers back to it.
func commands() []*command {
	return []*command{
		{name: "train", args: "[flags]", short: "train a network on a CSV or IDX file (or the embedded iris data)",
			about: trainAbout, define: withFlags(defaultTrainConfig())},
		{name: "predict", args: "--model FILE --data FILE [flags]", short: "predict with a trained model, CSV out",
			about: predictAbout, define: withFlags(predictConfig{})},
		{name: "evaluate", args: "--model FILE --data FILE [flags]", short: "score a trained model on labelled data: metrics and confusion matrix",
			about: evaluateAbout, define: withFlags(evaluateConfig{})},
		{name: "inspect", args: "MODEL|TABLE.csv", short: "show a model file's header and network summary (or describe a CSV table)", maxArgs: 1, argName: "model file",
			about: inspectAbout, define: withoutFlags(runInspect)},
		{name: "describe", args: "TABLE.csv [flags]", short: "describe a CSV table's columns and what train will do with each", maxArgs: 1, argName: "CSV file",
			about: describeAbout, define: withFlags(describeConfig{task: "auto"})},
		{name: "export", args: "--model FILE --out FILE [flags]", short: "write a model as ONNX, to serve with any ONNX runtime",
			about: exportAbout, define: withFlags(defaultExportConfig())},
		{name: "import", args: "--model FILE --out FILE", short: "read an ONNX MLP (from nerve export or PyTorch) into a model file",
			about: importAbout, define: withFlags(importConfig{})},
		{name: "demo", args: "[NAME] [flags]", short: "run one of the classic \"neural network from scratch\" tutorials", maxArgs: 1, argName: "tutorial name",
			about: demoAbout, define: withFlags(demoConfig{seed: 1})},
		{name: "trace", args: "[TUTORIAL] [flags]", short: "show one training iteration step by step, every matrix", maxArgs: 1, argName: "tutorial name",
			about: traceAbout, define: withFlags(defaultTraceConfig())},
		{name: "plot", args: "KIND [flags]", short: "draw a loss curve, decision boundary, network diagram or activations (PNG or SVG)", maxArgs: 1, argName: "KIND",
			about: plotAbout, define: withFlags(defaultPlotConfig())},
		{name: "gradcheck", args: "[TUTORIAL] [flags]", short: "compare a network's backpropagated gradients with finite differences", maxArgs: 1, argName: "tutorial name",
			about: gradcheckAbout, define: withFlags(defaultGradcheckConfig())},
		{name: "bench", args: "[flags]", short: "time training (or inference) of an MLP on synthetic data",
			about: benchAbout, define: withFlags(defaultBenchConfig())},
		{name: "serve", args: "--model FILE [flags]", short: "serve a trained model over HTTP (KServe V2, /predict, /metrics)",
			about: serveAbout, define: withFlags(defaultServeConfig())},
		{name: "data", args: "circle|xor|gauss|spiral|plane|multigauss [flags]", short: "write one of TensorFlow Playground's datasets as CSV", maxArgs: 1, argName: "dataset name",
			about: dataAbout, define: withFlags(defaultDataConfig())},
		{name: "playground", args: "[flags]", short: "train a network in the browser, TensorFlow Playground style",
			about: playgroundAbout, define: withFlags(playgroundConfig{Addr: "127.0.0.1:0"})},
		{name: "help", args: "[COMMAND]", short: "show help for nerve or one of its commands", maxArgs: 1, argName: "command",
			about: helpAbout, define: withoutFlags(runHelp)},
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
