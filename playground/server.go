package playground

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

//go:embed static
var static embed.FS

// MaxSessions is how many sessions (browser tabs) a Server keeps; the one
// used longest ago is dropped to make room for a new one.
const MaxSessions = 32

// MaxUpload is the largest CSV file /api/upload accepts, in bytes.
const MaxUpload = 4 << 20

// FrameInterval is the time between two epochs while a session plays:
// about 83 frames a second, so that 60 or more reach a page on a busy
// machine, where some ticks are late.
const FrameInterval = 12 * time.Millisecond

// Server is the playground's http.Handler: the page and its assets at /,
// and the API under /api/ that the page's back end calls (see
// docs/playground.md). Each browser tab has its own session, named by the
// query parameter s; every session trains on its own, and Close stops
// them all.
type Server struct {
	mux      *http.ServeMux
	ctx      context.Context
	cancel   context.CancelFunc
	mu       sync.Mutex
	sessions map[string]*entry
	clock    uint64 // counts session uses, for dropping the oldest
}

// entry is one session with its playing state and subscribers. mu
// serialises everything done with sess.
type entry struct {
	mu      sync.Mutex
	sess    *Session
	playing bool
	turn    uint64             // counts the play loop's starts and stops
	stop    context.CancelFunc // ends the play loop
	subs    map[chan []byte]bool
	used    uint64
}

// NewServer returns a Server with no sessions.
func NewServer() *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{mux: http.NewServeMux(), ctx: ctx, cancel: cancel, sessions: map[string]*entry{}}
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded directory exists
	}
	assets := http.FileServerFS(files)
	s.mux.Handle("GET /{$}", assets)
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path != "index.html" {
			s.mux.Handle("GET /"+path, assets)
		}
		return err
	})
	s.mux.HandleFunc("POST /api/reset", s.handleReset)
	s.mux.HandleFunc("POST /api/step", s.handleStep)
	s.mux.HandleFunc("POST /api/play", s.handlePlay)
	s.mux.HandleFunc("GET /api/events", s.handleEvents)
	s.mux.HandleFunc("POST /api/upload", s.handleUpload)
	s.mux.HandleFunc("GET /api/trace", s.handleTrace)
	s.mux.HandleFunc("GET /api/data.csv", s.handleData)
	s.mux.HandleFunc("GET /api/model.nerve", s.handleModel)
	s.mux.HandleFunc("GET /api/command", s.handleCommand)
	return s
}

// ServeHTTP serves the page and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'")
	s.mux.ServeHTTP(w, r)
}

// Close stops every playing session. Requests in flight finish.
func (s *Server) Close() { s.cancel() }

var sessionID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// httpError is an error with the HTTP status it answers.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func fail(code int, format string, a ...any) error {
	return &httpError{code, fmt.Sprintf(format, a...)}
}

// reply writes err as a plain-text message with its status (400 unless it
// says otherwise), or v as JSON.
func reply(w http.ResponseWriter, v any, err error) {
	if err != nil {
		code := http.StatusBadRequest
		var he *httpError
		if errors.As(err, &he) {
			code = he.code
		}
		http.Error(w, err.Error(), code)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// lookup returns the entry of the request's session; with create, a new
// one (dropping the one used longest ago if there are MaxSessions).
func (s *Server) lookup(r *http.Request, create bool) (*entry, error) {
	id := r.URL.Query().Get("s")
	if !sessionID.MatchString(id) {
		return nil, fail(http.StatusBadRequest, "query parameter s: %q is not a session name (1 to 64 letters, digits, _ or -)", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock++
	e := s.sessions[id]
	if e == nil {
		if !create {
			return nil, fail(http.StatusNotFound, "no session %q: reset it first (POST /api/reset?s=%s)", id, id)
		}
		if len(s.sessions) >= MaxSessions {
			var oldest string
			for k, o := range s.sessions {
				if oldest == "" || o.used < s.sessions[oldest].used {
					oldest = k
				}
			}
			s.sessions[oldest].halt()
			delete(s.sessions, oldest)
		}
		e = &entry{subs: map[chan []byte]bool{}}
		s.sessions[id] = e
	}
	e.used = s.clock
	return e, nil
}

// halt stops e's play loop, if any.
func (e *entry) halt() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pause()
}

// pause stops the play loop; e.mu is held.
func (e *entry) pause() {
	if e.stop != nil {
		e.stop()
		e.stop = nil
	}
	if e.playing {
		e.playing = false
		e.turn++
	}
}

// frame returns the session's frame as JSON; e.mu is held.
func (e *entry) frame() []byte {
	f := e.sess.Frame()
	f.Playing, f.Turn = e.playing, e.turn
	b, err := json.Marshal(f)
	if err != nil {
		panic("playground: encoding a frame: " + err.Error()) // Number keeps every value encodable
	}
	return b
}

// publish sends b to every subscriber, replacing a frame it has not yet
// taken: a slow page skips frames rather than slowing training. e.mu is
// held.
func (e *entry) publish(b []byte) {
	for ch := range e.subs {
		select {
		case ch <- b:
		default:
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- b:
			default:
			}
		}
	}
}

// resetReply is what /api/reset answers.
type resetReply struct {
	Hash     string          `json:"hash"`     // the state, as a URL hash without "#"
	Warnings []string        `json:"warnings"` // values of the hash that were not used
	Problem  string          `json:"problem"`
	Classes  []string        `json:"classes"` // class labels in output order; null for regression
	Features []string        `json:"features"`
	Train    [][3]float64    `json:"train"` // x1, x2 and the class index (or target) of each point
	Test     [][3]float64    `json:"test"`
	History  []LossPoint     `json:"history"`
	Frame    json.RawMessage `json:"frame"`
}

// handleReset starts the session's run from the state in the request
// body, a URL hash.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	e, err := s.lookup(r, true)
	if err != nil {
		reply(w, nil, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		reply(w, nil, err)
		return
	}
	st, warnings := ParseState(string(body))
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pause()
	if e.sess == nil {
		e.sess = &Session{}
	}
	if err := e.sess.Reset(st); err != nil {
		if e.sess.net == nil {
			// A first reset that fails leaves no run: start the default.
			_ = e.sess.Reset(DefaultState())
		}
		reply(w, nil, err)
		return
	}
	sess := e.sess
	out := resetReply{
		Hash: sess.state.Encode(), Warnings: warnings, Problem: sess.state.Problem, Classes: sess.classes,
		Features: sess.state.Features, History: sess.History(), Frame: e.frame(),
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for i := range sess.points.Len() {
		p := [3]float64{sess.points.X.At(i, 0), sess.points.X.At(i, 1)}
		if sess.classes != nil {
			for k, c := range sess.classes {
				if c == sess.points.Labels[i] {
					p[2] = float64(k)
				}
			}
		} else {
			p[2] = sess.points.Y.At(i, 0)
		}
		if i < sess.nTrain {
			out.Train = append(out.Train, p)
		} else {
			out.Test = append(out.Test, p)
		}
	}
	e.publish(out.Frame)
	reply(w, out, nil)
}

// stepReply is what /api/step answers.
type stepReply struct {
	Point LossPoint       `json:"point"`
	Frame json.RawMessage `json:"frame"`
}

// handleStep pauses the session and trains one epoch.
func (s *Server) handleStep(w http.ResponseWriter, r *http.Request) {
	e := s.locked(w, r)
	if e == nil {
		return
	}
	defer e.mu.Unlock()
	e.pause()
	if err := e.sess.Step(r.Context()); err != nil && e.sess.diverged == "" {
		reply(w, nil, fail(http.StatusInternalServerError, "step: %v", err))
		return
	}
	b := e.frame()
	e.publish(b)
	h := e.sess.history
	reply(w, stepReply{Point: h[len(h)-1], Frame: b}, nil)
}

// handlePlay starts (on=1) or stops (on=0) the session's play loop, which
// trains an epoch and publishes its frame every FrameInterval.
func (s *Server) handlePlay(w http.ResponseWriter, r *http.Request) {
	on, err := strconv.ParseBool(r.URL.Query().Get("on"))
	if err != nil {
		reply(w, nil, fail(http.StatusBadRequest, "query parameter on: %q is not 1 or 0", r.URL.Query().Get("on")))
		return
	}
	e := s.locked(w, r)
	if e == nil {
		return
	}
	defer e.mu.Unlock()
	switch {
	case !on:
		e.pause()
	case !e.playing && e.sess.diverged == "":
		ctx, stop := context.WithCancel(s.ctx)
		e.playing, e.stop = true, stop
		e.turn++
		go e.play(ctx)
	}
	reply(w, playReply{Playing: e.playing, Turn: e.turn}, nil)
}

// playReply answers POST /api/play: the state after the request, and
// the turn it was reached at (see Frame.Turn).
type playReply struct {
	Playing bool   `json:"playing"`
	Turn    uint64 `json:"turn"`
}

// play trains and publishes until ctx is cancelled or the run diverges.
func (e *entry) play(ctx context.Context) {
	t := time.NewTicker(FrameInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		e.mu.Lock()
		if ctx.Err() != nil {
			e.mu.Unlock()
			return
		}
		err := e.sess.Step(ctx)
		if err != nil && ctx.Err() != nil {
			e.mu.Unlock()
			return
		}
		if err != nil || e.sess.diverged != "" {
			e.pause()
		}
		e.publish(e.frame())
		e.mu.Unlock()
	}
}

// handleEvents streams the session's frames as Server-Sent Events, one
// "frame" event each, starting with the current one.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		reply(w, nil, fail(http.StatusInternalServerError, "streaming is not supported"))
		return
	}
	e := s.locked(w, r)
	if e == nil {
		return
	}
	ch := make(chan []byte, 1)
	e.subs[ch] = true
	ch <- e.frame()
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.subs, ch)
		e.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		case b := <-ch:
			if _, err := fmt.Fprintf(w, "event: frame\ndata: %s\n\n", b); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// handleUpload keeps the CSV file in the body as the session's uploaded
// data; the page then resets with dataset=upload. Errors name the line
// and column.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	e, err := s.lookup(r, true)
	if err != nil {
		reply(w, nil, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxUpload+1))
	if err != nil {
		reply(w, nil, err)
		return
	}
	if len(body) > MaxUpload {
		reply(w, nil, fail(http.StatusRequestEntityTooLarge, "the file is larger than %d MB", MaxUpload>>20))
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "upload.csv"
	}
	d, err := data.ReadCSV(bytes.NewReader(body), name, data.CSVOptions{})
	if err != nil {
		reply(w, nil, err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sess == nil {
		e.sess = &Session{}
	}
	if err := e.sess.SetUpload(d); err != nil {
		reply(w, nil, err)
		return
	}
	reply(w, map[string]any{"rows": d.Len(), "classification": d.Labels != nil}, nil)
}

// locked returns the entry of the request's session, which must have a
// run, with its lock held. Otherwise it answers the request with the
// error and returns nil.
func (s *Server) locked(w http.ResponseWriter, r *http.Request) *entry {
	e, err := s.lookup(r, false)
	if err != nil {
		reply(w, nil, err)
		return nil
	}
	e.mu.Lock()
	if e.sess == nil || e.sess.net == nil {
		e.mu.Unlock()
		reply(w, nil, fail(http.StatusConflict, "session has no run: reset it first"))
		return nil
	}
	return e
}

// withRun runs f on the request's session, which must have a run, under
// its lock.
func (s *Server) withRun(w http.ResponseWriter, r *http.Request, f func(*Session) error) {
	e := s.locked(w, r)
	if e == nil {
		return
	}
	defer e.mu.Unlock()
	if err := f(e.sess); err != nil {
		reply(w, nil, err)
	}
}

// handleTrace answers one training iteration of the current network on
// the first batch of training points, step by step, as HTML sections with
// data-step="N".
func (s *Server) handleTrace(w http.ResponseWriter, r *http.Request) {
	s.withRun(w, r, func(sess *Session) error {
		var b bytes.Buffer
		if err := sess.WriteTrace(&b); err != nil {
			return fail(http.StatusUnprocessableEntity, "%v", err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, err := w.Write(b.Bytes())
		return err
	})
}

// handleData answers the run's points as CSV: x1, x2 and the label.
func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	s.withRun(w, r, func(sess *Session) error {
		var b bytes.Buffer
		if err := data.WriteCSV(&b, sess.points, true); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Disposition", `attachment; filename="playground.csv"`)
		_, err := w.Write(b.Bytes())
		return err
	})
}

// handleModel answers the current network as a nerve model file.
func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	s.withRun(w, r, func(sess *Session) error {
		var b bytes.Buffer
		if _, err := sess.Model().WriteTo(&b); err != nil {
			return fail(http.StatusInternalServerError, "%v", err)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="playground.nerve"`)
		_, err := w.Write(b.Bytes())
		return err
	})
}

// handleCommand answers the nerve command lines that draw the same data
// and train the same network from the command line.
func (s *Server) handleCommand(w http.ResponseWriter, r *http.Request) {
	s.withRun(w, r, func(sess *Session) error {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err := io.WriteString(w, sess.Command())
		return err
	})
}

// Model returns the session's network as a model: its features named as
// in FeatureNames, which the network takes unscaled. A softmax over more
// than two classes is a classification model; a single output (two
// classes as TensorFlow Playground's ±1 score, or a sigmoid's probability
// of the second class, or regression) is saved as a regression model, and
// its Training block says how to read it.
func (s *Session) Model() *model.Model[float64] {
	m := &model.Model[float64]{Network: s.net.Clone(), Features: s.state.Features, Target: "label", Task: model.Regression}
	training := map[string]any{"playground": s.state.Encode(), "epochs": s.epoch}
	switch {
	case s.multiClass():
		m.Task, m.Classes, m.LabelType = model.Classification, s.classes, model.LabelInt
		for _, c := range s.classes {
			if _, err := strconv.Atoi(c); err != nil {
				m.LabelType = model.LabelString
			}
		}
	case s.classes != nil && s.crossEntropy():
		training["output"] = fmt.Sprintf("probability of class %q (else %q)", s.classes[1], s.classes[0])
	case s.classes != nil:
		training["output"] = fmt.Sprintf("score: ≥ 0 is class %q, < 0 class %q", s.classes[1], s.classes[0])
	}
	m.Training, _ = json.Marshal(training)
	return m
}
