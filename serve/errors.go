package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrRequest is wrapped by every RequestError: a request the server
// cannot answer because of what it asked.
var ErrRequest = errors.New("bad request")

// RequestError is a request's fault (or, with status 503, a request that
// came while the server shut down): its HTTP status, the field at
// fault ("inputs[0].shape", "rows[2].sepal_length", "body") and what was
// wrong. The server answers it as {"error": "FIELD: MSG"}.
type RequestError struct {
	Status int
	Field  string // "" when the whole request is at fault
	Msg    string
}

func (e *RequestError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Unwrap returns ErrRequest.
func (e *RequestError) Unwrap() error { return ErrRequest }

// badf returns a 400 RequestError about field.
func badf(field, format string, a ...any) *RequestError {
	return &RequestError{Status: http.StatusBadRequest, Field: field, Msg: fmt.Sprintf(format, a...)}
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// writeError answers err as JSON: a *RequestError with its own status,
// anything else as 500.
func writeError(w http.ResponseWriter, err error) int {
	status := http.StatusInternalServerError
	var re *RequestError
	if errors.As(err, &re) {
		status = re.Status
	}
	writeJSON(w, status, errorBody{Error: err.Error()})
	return status
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Error: "encoding the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client went away
}
