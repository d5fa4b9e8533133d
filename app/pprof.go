package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"time"
)

// getenvPprof is SKILLGATE_PPROF_ADDR: when set (for example
// 127.0.0.1:6060), the Go profiler is served there, on its own listener,
// for profiling under load. Keep it on a loopback address.
func getenvPprof() string { return os.Getenv("SKILLGATE_PPROF_ADDR") }

func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/heap", pprof.Index)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Info("profiler listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil {
		log.Warn("profiler", "err", err)
	}
}
