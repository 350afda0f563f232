package serve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/model"
)

// TestServe runs Serve on a loopback port: it picks up a replaced model
// file by polling, and at shutdown answers with "Connection: close" and
// a failing readiness while draining, then stops accepting and returns
// nil.
func TestServe(t *testing.T) {
	s, path := newServer(t, classifier(t, 1), Options{PollInterval: 5 * time.Millisecond, Drain: 300 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	if resp, body := get("/v2/health/ready"); resp.StatusCode != 200 || resp.Close {
		t.Fatalf("ready: %d %s (close %v)", resp.StatusCode, body, resp.Close)
	}

	v1 := s.Version()
	if err := model.Save(path, classifier(t, 2)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); s.Version() == v1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the replaced model file was not picked up")
		}
	}
	if _, body := get("/v2/models/model"); !strings.Contains(body, s.Version()) {
		t.Errorf("metadata after reload: %s; want version %s", body, s.Version())
	}

	cancel()
	time.Sleep(50 * time.Millisecond) // into the drain
	// The kept-alive connection is still answered, and told to close.
	resp, body := get("/v2/health/ready")
	if resp.StatusCode != 503 || !resp.Close || !strings.Contains(body, "shutting down") {
		t.Errorf("ready while draining: %d %s (close %v); want 503, closing", resp.StatusCode, body, resp.Close)
	}
	// So is a new connection, until the drain ends.
	if resp, body := get("/v2/models/model"); resp.StatusCode != 200 || !resp.Close {
		t.Errorf("a new connection while draining: %d %s (close %v); want 200, closing", resp.StatusCode, body, resp.Close)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	// Then new connections are refused.
	if _, err := client.Get(base + "/v2/health/live"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("a new connection after Serve returned: %v; want it refused", err)
	}
	// After Close, the handler answers 503 instead of hanging.
	if status, body := do(t, s, "POST", "/v2/models/model/infer", "", inferBody(testRows(1, 1))); status != 503 {
		t.Errorf("after Close: %d %s; want 503", status, body)
	}
}

// TestServeTimeouts checks that Serve's http.Server drops a client that
// sends its headers too slowly, or a body too slowly.
func TestServeTimeouts(t *testing.T) {
	s, _ := newServer(t, classifier(t, 1), Options{ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: 400 * time.Millisecond, Drain: -1})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-served
	}()
	for _, tt := range []struct{ name, start, answer string }{
		{"headers", "POST /predict HTTP/1.1\r\nHost: x\r\n", ""},
		{"body", "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[[1,2,", "HTTP/1.1 408 Request Timeout"},
	} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := conn.Write([]byte(tt.start)); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second)) //nolint:errcheck // a net.Conn from Dial
		b, err := io.ReadAll(conn)
		conn.Close()
		if err != nil || time.Since(start) > 5*time.Second {
			t.Errorf("%s sent slowly: connection still open after %v (%v)", tt.name, time.Since(start), err)
		}
		if got := firstLine(b); got != tt.answer {
			t.Errorf("%s sent slowly: answered %q; want %q", tt.name, got, tt.answer)
		}
	}
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\r\n")
	return s
}
