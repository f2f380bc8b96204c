// The bench's Go anchor: the seed's stack (net/http + chi) serving what functions/accounts.ts
// serves in the bench (the in-memory accounts, no QUOTES_URL): GET /accounts/{id} answers the
// same status, content-type and JSON body. Built static (CGO_ENABLED=0), as it would go into a
// FROM-scratch image.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"
)

type account struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	QuoteStatus string `json:"quote_status"`
}

type notFound struct {
	Error string `json:"error"`
	ID    string `json:"id"`
}

const firstID = 10000

// Encoded once, as accounts.ts builds its records once: a lookup does no more work per request.
var accounts = func() map[string][]byte {
	m := make(map[string][]byte, 100)
	for i := 0; i < 100; i++ {
		id := strconv.Itoa(firstID + i)
		m[id] = encode(account{ID: id, Name: "Person_" + strconv.Itoa(i), QuoteStatus: "not_configured"})
	}
	return m
}()

// encode writes JSON as JSON.stringify does for these records: no HTML escaping of <, >
// and &, and no trailing newline.
func encode(v any) []byte {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// param decodes the path parameter as Hono does: chi matches on the raw path whenever it
// holds an escape Go would write differently (%26 for &), and then leaves it encoded;
// otherwise it is decoded already.
func param(req *http.Request, name string) string {
	raw := chi.URLParam(req, name)
	if req.URL.RawPath == "" {
		return raw
	}
	if decoded, err := url.PathUnescape(raw); err == nil {
		return decoded
	}
	return raw
}

func main() {
	r := chi.NewRouter()
	r.Route("/accounts", func(r chi.Router) {
		r.Get("/{id}", func(w http.ResponseWriter, req *http.Request) {
			id := param(req, "id")
			if body, ok := accounts[id]; ok {
				writeJSON(w, http.StatusOK, body)
				return
			}
			writeJSON(w, http.StatusNotFound, encode(notFound{Error: "account not found", ID: id}))
		})
	})

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: ":" + port, Handler: r}
	// SIGTERM drains and exits 0, as the runtime does: the instruction count needs a clean exit.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatalf("accounts-go: %v", err)
	}
}
