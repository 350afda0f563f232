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
// then shuts down gracefully: it stops accepting connections, fails
// /v2/health/ready and answers with "Connection: close" for
// Options.Drain, waits up to Options.ShutdownTimeout for the requests in
// flight, and closes s. It returns nil after a clean shutdown, or the
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

	// The listener is closed at shutdown before srv.Shutdown is called, so
	// that open connections keep being answered while draining.
	once := &onceCloseListener{Listener: ln}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(once) }()
	select {
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "drain", s.opt.Drain.String())
	// Stop accepting first: a client told "Connection: close" from now
	// on is refused when it dials again, never accepted and then dropped.
	once.Close() //nolint:errcheck // nothing to do about it
	s.draining.Store(true)
	time.Sleep(s.opt.Drain)
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-served // returns as soon as the listener is closed
	if err != nil {
		s.log.Error("shutdown", "error", err.Error())
		return err
	}
	s.log.Info("shut down")
	return nil
}

// onceCloseListener is a net.Listener that Close closes once.
type onceCloseListener struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *onceCloseListener) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}
