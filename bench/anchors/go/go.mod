module scratchfn.local/bench/anchors/go

go 1.19

require github.com/go-chi/chi/v5 v5.0.7

// Debian's golang-github-go-chi-chi-dev installs chi v5 in its gocode tree without the /v5
// suffix; building against it keeps the build offline (GOPROXY=off, nothing from the Go proxy).
replace github.com/go-chi/chi/v5 => /usr/share/gocode/src/github.com/go-chi/chi
