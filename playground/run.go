package playground

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"time"
)

// Options configure Run. The zero value listens on a free port of
// 127.0.0.1 and opens the browser.
type Options struct {
	Addr      string // host:port to listen on; "" means 127.0.0.1:0, a free port
	NoBrowser bool   // do not open the page in the browser
}

// Run serves the playground until ctx is cancelled (Ctrl-C), then stops
// the sessions and closes the connections. It writes
// "playground at http://HOST:PORT/" to stdout once the server listens and,
// unless o.NoBrowser, opens that address in the default browser (a
// failure to do so is reported on stdout, not an error).
func Run(ctx context.Context, o Options, stdout io.Writer) error {
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("playground: %w", err)
	}
	srv := NewServer()
	defer srv.Close()
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "playground at %s\n", url)
	if !o.NoBrowser {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(stdout, "could not open a browser (%v): open %s yourself\n", err, url)
		}
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("playground: %w", err)
	case <-ctx.Done():
	}
	srv.Close()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("playground: stopping: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("playground: %w", err)
	}
	return nil
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
