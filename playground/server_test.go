package playground

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// client is a test's view of a server.
type client struct {
	t   *testing.T
	url string
}

func newClient(t *testing.T) *client {
	t.Helper()
	srv := NewServer()
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	return &client{t, ts.URL}
}

// do sends a request and returns the status and body.
func (c *client) do(method, path, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// ok sends a request that must succeed and decodes its JSON into v.
func (c *client) ok(method, path, body string, v any) string {
	c.t.Helper()
	code, b := c.do(method, path, body)
	if code != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, code, b)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(b), v); err != nil {
			c.t.Fatalf("%s %s: %v in %.200s", method, path, err, b)
		}
	}
	return b
}

type testFrame struct {
	Run, Epoch          int
	LossTrain, LossTest *float64
	Boundary            string
	Neurons             [][]string
	W, DW               [][][]float64
	Diverged            string
	Playing             bool
	Turn                uint64
}

type testReset struct {
	Hash     string
	Warnings []string
	Classes  []string
	Train    [][3]float64
	Test     [][3]float64
	History  []LossPoint
	Frame    testFrame
}

func TestServerPage(t *testing.T) {
	c := newClient(t)
	code, page := c.do("GET", "/", "")
	if code != 200 {
		t.Fatalf("GET /: %d", code)
	}
	for _, id := range []string{"play", "step", "reset", "epoch", "loss-train", "loss-test", "boundary"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the page has no element with id %q", id)
		}
	}
	for _, asset := range []string{"/app.js", "/style.css"} {
		if code, body := c.do("GET", asset, ""); code != 200 || len(body) < 1000 {
			t.Errorf("GET %s: %d, %d bytes", asset, code, len(body))
		}
	}
	// Nothing in the page may load from elsewhere.
	total := 0
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, path)
		total += len(b)
		for _, bad := range []string{"http://", "https://", "//cdn"} {
			if bytes.Contains(b, []byte(bad)) && !bytes.Contains(b, []byte("http://www.w3.org/2000/svg")) {
				t.Errorf("%s mentions %q: the page must not load anything from elsewhere", path, bad)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 300<<10 {
		t.Errorf("the page weighs %d bytes; want at most 300 KB", total)
	}
	t.Logf("page weight: %d bytes", total)
}

func TestServerResetAndStep(t *testing.T) {
	c := newClient(t)
	var r testReset
	c.ok("POST", "/api/reset?s=a", "#dataset=xor&hidden=4&lr=7x&bogus=1", &r)
	if !strings.Contains(r.Hash, "dataset=xor&features=x1,x2&hidden=4&activation=tanh&lr=0.03&") {
		t.Errorf("hash %q", r.Hash)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `lr: "7x"`) {
		t.Errorf("warnings %q; want one about lr", r.Warnings)
	}
	if len(r.Train) != 250 || len(r.Test) != 250 || len(r.Classes) != 2 || len(r.History) != 1 || r.Frame.Epoch != 0 {
		t.Fatalf("%d train, %d test points, classes %v, history %v, epoch %d", len(r.Train), len(r.Test), r.Classes, r.History, r.Frame.Epoch)
	}
	if len(r.Frame.Boundary) != (Density*Density+2)/3*4 || len(r.Frame.Neurons) != 1 || len(r.Frame.Neurons[0]) != 4 {
		t.Errorf("frame: boundary %d base64 bytes, neurons %d", len(r.Frame.Boundary), len(r.Frame.Neurons))
	}
	var last struct {
		Point LossPoint
		Frame testFrame
	}
	for range 40 {
		c.ok("POST", "/api/step?s=a", "", &last)
	}
	if last.Point.Epoch != 40 || last.Frame.Epoch != 40 || last.Frame.Run != r.Frame.Run {
		t.Errorf("after 40 steps: point %+v, frame epoch %d", last.Point, last.Frame.Epoch)
	}
	if !(last.Point.Test < r.History[0].Test) {
		t.Errorf("test loss %v after 40 epochs; want below the start %v", last.Point.Test, r.History[0].Test)
	}
	// Reset goes back to the same start; its frame has a new run number.
	var again testReset
	c.ok("POST", "/api/reset?s=a", r.Hash, &again)
	if again.History[0] != r.History[0] || again.Frame.Boundary != r.Frame.Boundary || again.Frame.Run == r.Frame.Run {
		t.Errorf("reset: history %v, run %d; want %v, a run after %d", again.History, again.Frame.Run, r.History, r.Frame.Run)
	}
	// Another session is another run.
	var other testReset
	c.ok("POST", "/api/reset?s=b", "dataset=gauss", &other)
	c.ok("POST", "/api/step?s=b", "", nil)
	var a2 struct{ Point LossPoint }
	c.ok("POST", "/api/step?s=a", "", &a2)
	if a2.Point.Epoch != 1 {
		t.Errorf("session a at epoch %d after another session stepped; want 1", a2.Point.Epoch)
	}
}

// events reads Server-Sent Events frames from the session's stream.
func events(t *testing.T, ctx context.Context, c *client, session string) <-chan testFrame {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.url+"/api/events?s="+session, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ch := make(chan testFrame, 256)
	go func() {
		defer resp.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		event, payload := "", ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				payload = strings.TrimPrefix(line, "data: ")
			case line == "" && payload != "":
				// An event ends with a blank line; a stream cut by the
				// test's end has none.
				var f testFrame
				if err := json.Unmarshal([]byte(payload), &f); event != "frame" || err != nil {
					t.Errorf("bad event %q: %v: %.100s", event, err, payload)
					return
				}
				select {
				case ch <- f:
				case <-ctx.Done():
					return
				}
				event, payload = "", ""
			}
		}
	}()
	return ch
}

func next(t *testing.T, ch <-chan testFrame) testFrame {
	t.Helper()
	select {
	case f, ok := <-ch:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("no frame within 10 s")
	}
	return testFrame{}
}

func TestServerEvents(t *testing.T) {
	c := newClient(t)
	c.ok("POST", "/api/reset?s=ev", "dataset=circle&hidden=3", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := events(t, ctx, c, "ev")
	if f := next(t, ch); f.Epoch != 0 || f.Playing {
		t.Fatalf("first frame: epoch %d, playing %v", f.Epoch, f.Playing)
	}
	c.ok("POST", "/api/step?s=ev", "", nil)
	if f := next(t, ch); f.Epoch != 1 {
		t.Fatalf("frame after a step: epoch %d; want 1", f.Epoch)
	}
	// Playing streams frames with growing epochs until paused.
	c.ok("POST", "/api/play?s=ev&on=1", "", nil)
	prev := 1
	for range 5 {
		f := next(t, ch)
		if !f.Playing || f.Epoch <= prev {
			t.Fatalf("while playing: frame epoch %d after %d, playing %v", f.Epoch, prev, f.Playing)
		}
		prev = f.Epoch
	}
	var p struct {
		Playing bool
		Turn    uint64
	}
	c.ok("POST", "/api/play?s=ev&on=0", "", &p)
	if p.Playing {
		t.Error("still playing after on=0")
	}
	// Frames sent while playing are of an older turn than the pause, so
	// a page that reads them after the reply keeps showing the pause.
	if p.Turn != 2 {
		t.Errorf("turn after a start and a stop: %d; want 2", p.Turn)
	}
	// A step after the pause sends a frame of the pause's turn.
	c.ok("POST", "/api/step?s=ev", "", nil)
	f := next(t, ch)
	for ; f.Playing; f = next(t, ch) {
		if f.Turn >= p.Turn {
			t.Fatalf("a playing frame of turn %d after the pause of turn %d", f.Turn, p.Turn)
		}
	}
	if f.Turn != p.Turn {
		t.Errorf("the step's frame after the pause: turn %d; want %d", f.Turn, p.Turn)
	}
	// A step pauses too, and a reset starts the epochs again.
	c.ok("POST", "/api/reset?s=ev", "dataset=circle&hidden=3", nil)
	for f := next(t, ch); f.Epoch != 0; f = next(t, ch) {
	}
}

func TestServerDiverges(t *testing.T) {
	c := newClient(t)
	c.ok("POST", "/api/reset?s=d", "dataset=plane&hidden=8,8&activation=relu&lr=10&batch=1", nil)
	var st struct{ Frame testFrame }
	for i := 0; i < 50 && st.Frame.Diverged == ""; i++ {
		c.ok("POST", "/api/step?s=d", "", &st)
	}
	if !strings.Contains(st.Frame.Diverged, "Lower the learning rate") {
		t.Fatalf("diverged %q", st.Frame.Diverged)
	}
	var p struct{ Playing bool }
	c.ok("POST", "/api/play?s=d&on=1", "", &p)
	if p.Playing {
		t.Error("a diverged run plays")
	}
}

func TestServerUpload(t *testing.T) {
	c := newClient(t)
	for _, tt := range []struct{ csv, want string }{
		{"x1,x2,label\n1,2,a\n3,oops,b\n", `upload.csv:3:2 (x2): "oops" is not a number`},
		{"x1,x2,label\n1,2,a\n3,4,a\n", "two classes"},
		{"a,b,c,label\n1,2,3,x\n4,5,6,y\n", "3 features; want 2"},
		{"", "upload.csv"},
	} {
		code, msg := c.do("POST", "/api/upload?s=u", tt.csv)
		if code != http.StatusBadRequest || !strings.Contains(msg, tt.want) {
			t.Errorf("upload %q: %d %q; want 400 and a message containing %q", tt.csv, code, msg, tt.want)
		}
	}
	big := strings.Repeat("1,2,a\n", MaxUpload/6+2)
	if code, _ := c.do("POST", "/api/upload?s=u", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte upload: %d; want 413", len(big), code)
	}
	c.ok("POST", "/api/upload?s=u&name=mine.csv", "x1,x2,label\n1,2,a\n3,4,b\n-1,-2,a\n-3,-4,b\n0,1,c\n", nil)
	var r testReset
	c.ok("POST", "/api/reset?s=u", "dataset=upload&ratio=60", &r)
	if len(r.Classes) != 3 || len(r.Train)+len(r.Test) != 5 || !strings.Contains(r.Hash, "dataset=upload") {
		t.Errorf("after upload: classes %v, %d+%d points, hash %q", r.Classes, len(r.Train), len(r.Test), r.Hash)
	}
	c.ok("POST", "/api/step?s=u", "", nil)
	// dataset=upload in a session without one is an error, not a crash.
	if code, msg := c.do("POST", "/api/reset?s=fresh", "dataset=upload"); code != 400 || !strings.Contains(msg, "no CSV was uploaded") {
		t.Errorf("dataset=upload without an upload: %d %q", code, msg)
	}
	c.ok("POST", "/api/step?s=fresh", "", nil) // the failed first reset left the default run
}

func TestServerBadRequests(t *testing.T) {
	c := newClient(t)
	c.ok("POST", "/api/reset?s=ok", "", nil)
	for _, tt := range []struct {
		method, path string
		code         int
		want         string
	}{
		{"POST", "/api/reset", 400, "query parameter s"},
		{"POST", "/api/reset?s=../x", 400, "not a session name"},
		{"POST", "/api/reset?s=" + strings.Repeat("a", 65), 400, "not a session name"},
		{"POST", "/api/step?s=nobody", 404, "reset it first"},
		{"POST", "/api/play?s=nobody&on=1", 404, "reset it first"},
		{"GET", "/api/events?s=nobody", 404, "reset it first"},
		{"GET", "/api/trace?s=nobody", 404, "reset it first"},
		{"GET", "/api/data.csv?s=nobody", 404, "reset it first"},
		{"POST", "/api/play?s=ok&on=maybe", 400, `on: "maybe"`},
		{"POST", "/api/play?s=ok", 400, "on"},
		{"GET", "/api/step?s=ok", 405, ""},
		{"DELETE", "/api/reset?s=ok", 405, ""},
		{"GET", "/nothing-here", 404, ""},
	} {
		code, msg := c.do(tt.method, tt.path, "")
		if code != tt.code || !strings.Contains(msg, tt.want) || code >= 400 && strings.TrimSpace(msg) == "" {
			t.Errorf("%s %s: %d %q; want %d and a message containing %q", tt.method, tt.path, code, msg, tt.code, tt.want)
		}
	}
}

func TestServerDownloads(t *testing.T) {
	c := newClient(t)
	for _, hash := range []string{"dataset=spiral&classes=3&hidden=5", "dataset=circle&features=x1,x2,x1sq", "dataset=multigauss", "dataset=xor&loss=cross-entropy"} {
		c.ok("POST", "/api/reset?s=dl", hash, nil)
		c.ok("POST", "/api/step?s=dl", "", nil)
		_, csv := c.do("GET", "/api/data.csv?s=dl", "")
		d, err := data.ReadCSV(strings.NewReader(csv), "playground.csv", data.CSVOptions{})
		if err != nil || d.Len() == 0 || d.X.Cols() != 2 {
			t.Fatalf("%s: the data download does not read back: %v", hash, err)
		}
		_, file := c.do("GET", "/api/model.nerve?s=dl", "")
		mf, err := model.Read[float64](strings.NewReader(file))
		if err != nil {
			t.Fatalf("%s: the model download does not read back: %v", hash, err)
		}
		if len(mf.Features) != mf.Network.Inputs() || !strings.Contains(string(mf.Training), "playground") {
			t.Errorf("%s: model features %v, training %s", hash, mf.Features, mf.Training)
		}
		_, cmd := c.do("GET", "/api/command?s=dl", "")
		if !strings.Contains(cmd, "nerve data ") || !strings.Contains(cmd, "nerve train --data ") {
			t.Errorf("%s: command %q", hash, cmd)
		}
		code, trace := c.do("GET", "/api/trace?s=dl", "")
		if code != 200 || !strings.Contains(trace, `data-step="11"`) {
			t.Errorf("%s: trace %d %.200q", hash, code, trace)
		}
	}
}

// TestServerConcurrent runs clients that reset, step, play, stream and
// download at once, some sharing a session; run it with -race.
func TestServerConcurrent(t *testing.T) {
	c := newClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := fmt.Sprintf("c%d", g%3) // two clients per session
			c.ok("POST", "/api/reset?s="+s, "dataset=spiral&hidden=4,4", nil)
			ch := events(t, ctx, c, s)
			for i := range 8 {
				switch i % 4 {
				case 0:
					c.ok("POST", "/api/step?s="+s, "", nil)
				case 1:
					c.ok("POST", "/api/play?s="+s+"&on=1", "", nil)
					time.Sleep(20 * time.Millisecond)
				case 2:
					c.ok("GET", "/api/trace?s="+s, "", nil)
					c.ok("GET", "/api/model.nerve?s="+s, "", nil)
				case 3:
					c.ok("POST", "/api/play?s="+s+"&on=0", "", nil)
					c.ok("POST", "/api/reset?s="+s, "dataset=xor&hidden=3", nil)
				}
			}
			next(t, ch)
		}()
	}
	wg.Wait()
}

func TestServerSessionLimit(t *testing.T) {
	c := newClient(t)
	for i := range MaxSessions + 3 {
		c.ok("POST", fmt.Sprintf("/api/reset?s=s%d", i), "dataset=gauss&hidden=1", nil)
	}
	if code, _ := c.do("POST", "/api/step?s=s0", ""); code != 404 {
		t.Errorf("the oldest session still steps (%d) after %d newer ones", code, MaxSessions+2)
	}
	c.ok("POST", fmt.Sprintf("/api/step?s=s%d", MaxSessions+2), "", nil)
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Options{NoBrowser: true}, pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "playground at ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Fatalf("Run printed %q", line)
	}
	resp, err := http.Post(url+"api/reset?s=run", "text/plain", strings.NewReader(""))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v %v", err, resp)
	}
	resp.Body.Close()
	// An open event stream must not keep Run from stopping.
	req, _ := http.NewRequest("GET", url+"api/events?s=run", nil)
	ev, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop within 10 s of the cancel")
	}
	if err := Run(context.Background(), Options{Addr: "256.0.0.1:0"}, io.Discard); err == nil || !strings.Contains(err.Error(), "playground:") {
		t.Errorf("Run on a bad address: %v", err)
	}
}
