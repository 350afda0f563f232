package serve

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Serve answers HTTP requests on ln until ctx is done, reloading the
// model whenever its file is replaced (every Options.PollInterval), and
// then shuts down gracefully: for Options.Drain it fails
// /v2/health/ready and answers every request with "Connection: close",
// so that load balancers and clients move off it, then it stops
// accepting connections, waits up to Options.ShutdownTimeout for the
// requests in flight, and closes s. It returns nil after a clean shutdown, or the
// error that stopped it. The http.Server it runs has the timeouts of
// Options, and logs to Options.Logger.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.opt.ReadHeaderTimeout,
		ReadTimeout:       s.opt.ReadTimeout,
		WriteTimeout:      s.opt.WriteTimeout,
		IdleTimeout:       s.opt.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	watchCtx, stopWatch := context.WithCancel(context.Background())
	var watching sync.WaitGroup
	watching.Go(func() { s.watch(watchCtx) })
	defer func() {
		stopWatch()
		watching.Wait()
		s.Close()
	}()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "drain", s.opt.Drain.String())
	// Drain while still accepting: closing the listener at once would
	// reset the connections a client dialed just before, requests
	// written and never read. A client told "Connection: close" stops
	// reusing its connection; one that respects readiness stops coming.
	s.draining.Store(true)
	time.Sleep(s.opt.Drain)
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-served // http.ErrServerClosed, once Shutdown began
	if err != nil {
		s.log.Error("shutdown", "error", err.Error())
		return err
	}
	s.log.Info("shut down")
	return nil
}
