package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/internal/atomicfile"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/serve"
	"github.com/nerve-ml/nerve/tensor"
)

// TestServeMatchesPredict trains a model with nerve train and checks that
// the server's answers for the iris file are nerve predict's: the CSV of
// /predict byte for byte, and the V2 labels and probabilities.
func TestServeMatchesPredict(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "iris.nerve")
	iris, err := filepath.Abs(filepath.Join("..", "..", "data", "embedded", "iris.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCase(t, "train", "--epochs", "20", "--quiet", "--out", modelPath); code != 0 {
		t.Fatalf("train: %s", stderr)
	}
	labels, stderr, code := runCase(t, "predict", "--model", modelPath, "--data", iris)
	if code != 0 {
		t.Fatalf("predict: %s", stderr)
	}
	probs, stderr, code := runCase(t, "predict", "--model", modelPath, "--data", iris, "--proba")
	if code != 0 {
		t.Fatalf("predict --proba: %s", stderr)
	}
	csv, err := os.ReadFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(modelPath, serve.Options{Name: "iris"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	post := func(path, ctype string, body []byte, accept string) string {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	if got := post("/predict", "text/csv", csv, "text/csv"); got != labels {
		t.Errorf("/predict CSV:\n%s\nnerve predict:\n%s", got, labels)
	}
	if got := post("/predict?proba=true", "text/csv", csv, "text/csv"); got != probs {
		t.Errorf("/predict?proba=true CSV:\n%s\nnerve predict --proba:\n%s", got, probs)
	}

	// V2: the same rows as numbers, in the model's feature order.
	d, err := data.LoadCSV(iris, data.CSVOptions{Target: "species"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"inputs": []any{map[string]any{
		"name": "input", "datatype": "FP32", "shape": []int{d.Len(), d.X.Cols()}, "data": d.X.Data()}}})
	var a struct {
		Outputs []struct {
			Name string
			Data []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(post("/v2/models/iris/infer", "application/json", body, "")), &a); err != nil {
		t.Fatal(err)
	}
	labelLines := strings.Split(strings.TrimSpace(labels), "\n")[1:]
	probLines := strings.Split(strings.TrimSpace(probs), "\n")[1:]
	if len(a.Outputs) != 2 || len(a.Outputs[0].Data) != len(labelLines) || len(a.Outputs[1].Data) != 3*len(probLines) {
		t.Fatalf("V2 answer has %d outputs; want label and probabilities for %d rows", len(a.Outputs), len(labelLines))
	}
	for i, line := range labelLines {
		if got := string(a.Outputs[0].Data[i]); got != strconv.Quote(line) {
			t.Errorf("row %d: V2 label %s; nerve predict %s", i+1, got, line)
		}
		for k, field := range strings.Split(probLines[i], ",") {
			want, _ := strconv.ParseFloat(field, 64)
			// The V2 answer gives the float32 probability's shortest
			// text; nerve predict prints 8 digits of its exact value.
			got, _ := strconv.ParseFloat(string(a.Outputs[1].Data[3*i+k]), 32)
			if strconv.FormatFloat(got, 'g', 8, 64) != field {
				t.Errorf("row %d class %d: V2 %v; nerve predict %v", i+1, k, got, want)
			}
		}
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve"}, 2, "--model is required"},
		{[]string{"serve", "--model", "m.nerve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "--model", "m.nerve", "--log-format", "xml"}, 2, `--log-format: "xml" is not one of text, json`},
		{[]string{"serve", "--model", "m.nerve", "--max-batch", "0"}, 2, `--max-batch: "0" is not an integer ≥ 1`},
		{[]string{"serve", "--model", "m.nerve", "--batch-wait", "-1ms"}, 2, `--batch-wait: "-1ms" is not a duration ≥ 0`},
		{[]string{"serve", "--model", filepath.Join(t.TempDir(), "missing.nerve")}, 1, "missing.nerve"},
	} {
		stdout, stderr, code := runCase(t, tt.args...)
		if code != tt.code || stdout != "" || !strings.HasPrefix(stderr, "nerve: ") || !strings.Contains(stderr, tt.want) {
			t.Errorf("nerve %s: exit %d, stdout %q, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stdout, stderr, tt.code, tt.want)
		}
	}
}

// servedModel returns a small classifier (3 features, 2 classes) whose
// weights seed draws, and its model file's bytes.
func servedModel(t *testing.T, seed uint32) (*model.Model[float32], []byte) {
	t.Helper()
	net, err := nn.New[float32](nn.Config{Inputs: 3, Loss: loss.CrossEntropy, BiasInit: nn.StandardNormal,
		Layers: []nn.LayerSpec{{Units: 16, Activation: activation.Tanh}, {Units: 2, Activation: activation.Softmax}}}, rng.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model[float32]{Network: net, Task: model.Classification, Classes: []string{"no", "yes"}, LabelType: model.LabelString,
		Features: []string{"a", "b", "c"}}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return m, buf.Bytes()
}

// TestServeReloadAndShutdownUnderLoad runs the real binary with steady
// traffic from 16 clients while the model file is replaced 20 times (each
// followed by SIGHUP, with polling off, and once by a broken file), then
// sends SIGTERM. Every request must be answered 200 by one of the models,
// wholly (its label and probabilities are exactly that model's for its
// rows). After SIGTERM a client stops when an answer says
// "Connection: close" (the server is draining), and only then may its
// connections be refused; the process must exit 0.
func TestServeReloadAndShutdownUnderLoad(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGHUP and SIGTERM are POSIX signals")
	}
	bin := nerveBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.nerve")
	models := map[string]*model.Model[float32]{} // by version
	var mu sync.Mutex
	write := func(seed uint32) string {
		m, b := servedModel(t, seed)
		sum := sha256.Sum256(b)
		v := hex.EncodeToString(sum[:])[:12]
		mu.Lock()
		models[v] = m
		mu.Unlock()
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	version := write(1)

	cmd := exec.Command(bin, "serve", "--model", path, "--addr", "127.0.0.1:0", "--name", "m", "--poll", "0",
		"--max-batch", "16", "--batch-wait", "1ms", "--drain", "1s", "--log-format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped { // the test failed before the process exited
			cmd.Process.Kill() //nolint:errcheck // it may have exited meanwhile
			<-exited
		}
	}()
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "serving m at http://")
	if err != nil || !ok {
		t.Fatalf("first line %q (%v); want \"serving m at http://ADDR/\"; stderr %s", line, err, stderr.String())
	}
	base := "http://" + strings.TrimSuffix(addr, "/")

	servedVersion := func() string {
		resp, err := http.Get(base + "/v2/models/m")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var meta struct{ Versions []string }
		if err := json.NewDecoder(resp.Body).Decode(&meta); err != nil || len(meta.Versions) != 1 {
			t.Fatalf("metadata: %v", err)
		}
		return meta.Versions[0]
	}
	if v := servedVersion(); v != version {
		t.Fatalf("serving version %s; want %s", v, version)
	}

	var terminated atomic.Bool
	var answered, refused, drained, failed atomic.Int64
	perVersion := sync.Map{}
	var clients sync.WaitGroup
	for c := range 16 {
		clients.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			src := rng.New(uint32(100 + c))
			for n := 0; ; n++ {
				rows := 1 + n%3
				X := tensor.Zeros[float64](rows, 3)
				src.FillFloat64(X.Data())
				body, _ := json.Marshal(map[string]any{"inputs": []any{map[string]any{
					"name": "input", "datatype": "FP64", "shape": []int{rows, 3}, "data": X.Data()}}})
				resp, err := client.Post(base+"/v2/models/m/infer", "application/json", bytes.NewReader(body))
				if err != nil {
					if terminated.Load() && errors.Is(err, syscall.ECONNREFUSED) {
						refused.Add(1)
						return
					}
					failed.Add(1)
					t.Errorf("client %d request %d: %v", c, n, err)
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					t.Errorf("client %d request %d: %d %s %v", c, n, resp.StatusCode, b, err)
					return
				}
				if err := checkAnswer(b, X, models, &mu); err != nil {
					failed.Add(1)
					t.Errorf("client %d request %d: %v", c, n, err)
					return
				}
				answered.Add(1)
				if resp.Close && terminated.Load() {
					// The server is draining: a client of a load
					// balancer would be sent elsewhere now.
					drained.Add(1)
					return
				}
				var a struct {
					ModelVersion string `json:"model_version"`
				}
				json.Unmarshal(b, &a) //nolint:errcheck // checked by checkAnswer
				cnt, _ := perVersion.LoadOrStore(a.ModelVersion, new(atomic.Int64))
				cnt.(*atomic.Int64).Add(1)
			}
		})
	}

	// 20 replacements, each picked up on SIGHUP; a broken file between
	// the 10th and 11th is logged and the model before it keeps serving.
	waitFor := func(want string) {
		deadline := time.Now().Add(20 * time.Second)
		for servedVersion() != want {
			if time.Now().After(deadline) {
				t.Fatalf("the server did not switch to version %s; stderr %s", want, stderr.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	for i := range 20 {
		if i == 10 {
			if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write([]byte("broken")); return err }); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			waitFor(version)
		}
		version = write(uint32(2 + i))
		time.Sleep(20 * time.Millisecond) // traffic on the old model
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		waitFor(version)
	}
	time.Sleep(50 * time.Millisecond)
	terminated.Store(true)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	clients.Wait()
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Errorf("after SIGTERM: %v; want exit status 0; stderr %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit within 30 s of SIGTERM")
	}
	versions := 0
	perVersion.Range(func(_, _ any) bool { versions++; return true })
	t.Logf("%d answers from %d model versions; after SIGTERM %d clients told to close, %d refused; %d failed", answered.Load(), versions, drained.Load(), refused.Load(), failed.Load())
	if failed.Load() != 0 || answered.Load() == 0 {
		t.Errorf("%d failed requests, %d answered", failed.Load(), answered.Load())
	}
	if versions < 10 {
		t.Errorf("answers came from %d model versions; want most of the 21", versions)
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"model reload failed; the old model keeps serving"`, `"msg":"shutting down"`, `"msg":"shut down"`, `"msg":"request"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

// checkAnswer checks a V2 answer for rows X: it must come from one of
// models, and its label and probabilities must be exactly that model's.
func checkAnswer(body []byte, X *tensor.Dense[float64], models map[string]*model.Model[float32], mu *sync.Mutex) error {
	var a struct {
		ModelVersion string `json:"model_version"`
		Outputs      []struct {
			Name string
			Data []json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return err
	}
	mu.Lock()
	m := models[a.ModelVersion]
	mu.Unlock()
	if m == nil {
		return fmt.Errorf("answer from unknown version %q", a.ModelVersion)
	}
	P, err := m.Predict(X)
	if err != nil {
		return err
	}
	if len(a.Outputs) != 2 || len(a.Outputs[1].Data) != len(P.Data()) || len(a.Outputs[0].Data) != X.Rows() {
		return fmt.Errorf("answer %s has the wrong shape for %d rows", body, X.Rows())
	}
	for i, k := range data.Argmax(P) {
		if want := strconv.Quote(m.Classes[k]); string(a.Outputs[0].Data[i]) != want {
			return fmt.Errorf("version %s: row %d label %s; want %s", a.ModelVersion, i, a.Outputs[0].Data[i], want)
		}
	}
	for k, d := range a.Outputs[1].Data {
		if got, _ := strconv.ParseFloat(string(d), 32); got != float64(float32(P.Data()[k])) {
			return fmt.Errorf("version %s: probability %d = %s; want %v (a mix of models?)", a.ModelVersion, k, d, float32(P.Data()[k]))
		}
	}
	return nil
}
