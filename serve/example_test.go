package serve_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"

	"github.com/nerve-ml/nerve/serve"
)

// A Server is an http.Handler: here it answers one /predict request with
// rows by feature name (testdata/iris.nerve was written by nerve train).
func Example() {
	s, err := serve.New("testdata/iris.nerve", serve.Options{Name: "iris"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	rows := `[{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
	          {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}]`
	req := httptest.NewRequest("POST", "/predict", strings.NewReader(rows))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	fmt.Print(rec.Code, " ", rec.Body)

	req = httptest.NewRequest("POST", "/v2/models/iris/infer", strings.NewReader(
		`{"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}], "outputs": [{"name": "label"}]}`))
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	fmt.Print(rec.Code, " ", rec.Body)
	// Output:
	// 200 {"model_name":"iris","model_version":"5c12f39a1500","predictions":[{"species":"setosa"},{"species":"virginica"}]}
	// 200 {"model_name":"iris","model_version":"5c12f39a1500","outputs":[{"name":"label","datatype":"BYTES","shape":[1],"data":["setosa"]}]}
}

// Serve runs a Server on its own until the context ends (here on
// Ctrl-C), then shuts down gracefully.
func ExampleServer_Serve() {
	s, err := serve.New("model.nerve", serve.Options{Logger: slog.New(slog.NewJSONHandler(os.Stderr, nil))})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := s.Serve(ctx, ln); err != nil {
		log.Fatal(err)
	}
}
