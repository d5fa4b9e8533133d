package main

import (
	"errors"
	"log/slog"
	"net"
	"syscall"
	"time"
)

// patientListener keeps accepting when the process runs out of file
// descriptors. Under overload (clients that gave up while their requests
// still wait, each holding a socket) accept fails with EMFILE; fasthttp
// treats that as fatal and the service would exit, dropping every request
// in flight. Like net/http, this waits (5 ms, doubling up to 1 s) for
// requests to finish and free descriptors, then accepts again.
type patientListener struct {
	net.Listener
	log *slog.Logger
}

func (l patientListener) Accept() (net.Conn, error) {
	wait := 5 * time.Millisecond
	var warned time.Time
	for {
		c, err := l.Listener.Accept()
		if err == nil || !outOfDescriptors(err) {
			return c, err
		}
		if time.Since(warned) > 10*time.Second {
			warned = time.Now()
			l.log.Warn("out of file descriptors; waiting for requests to finish before accepting more", "err", err)
		}
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}

func outOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
