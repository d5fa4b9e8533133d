package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// errUsedUp ends a worker whose scenario has used up what was prepared.
var errUsedUp = errors.New("prepared pool used up")

// request makes the i-th request of a scenario.
type request func(i int64) (*http.Request, error)

// result is one scenario's figures.
type result struct {
	Name             string
	Requests, Errors int64
	RPS              float64
	P50, P99, P999   time.Duration
	Baseline         string
	Ratio            float64 // RPS / baseline RPS
	Baseline2        string
	Ratio2           float64 // RPS / second baseline RPS
	StatusCounts     map[int]int64
	PeakRSSKiB       int64 // the server's peak resident memory so far
}

// drive runs make at a fixed concurrency for a fixed time and measures
// every answer. The loop is bounded by the duration and stops by itself.
func drive(ctx context.Context, client *http.Client, name string, concurrency int, d time.Duration, ok func(int) bool, next request) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var seq, errs atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, 1<<16)
	statuses := map[int]int64{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			localStatus := map[int]int64{}
			for ctx.Err() == nil {
				req, err := next(seq.Add(1) - 1)
				if errors.Is(err, errUsedUp) {
					break // the scenario's prepared pool is spent: not the server's error
				}
				if err != nil {
					errs.Add(1)
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				local = append(local, time.Since(t0))
				localStatus[resp.StatusCode]++
				if !ok(resp.StatusCode) {
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			for k, v := range localStatus {
				statuses[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	return result{Name: name, Requests: int64(len(lat)), Errors: errs.Load(), RPS: float64(len(lat)) / elapsed.Seconds(),
		P50: q(0.50), P99: q(0.99), P999: q(0.999), StatusCounts: statuses}
}

func jsonRequest(method, url, token string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

// pageSession signs in with a card as a browser does (GET /card/{secret})
// and returns the Cookie header that carries the page session.
func pageSession(client *http.Client, target, secret string) (string, error) {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(strings.TrimRight(target, "/") + "/card/" + secret)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var parts []string
	for _, k := range resp.Cookies() {
		if k.Value != "" {
			parts = append(parts, k.Name+"="+k.Value)
		}
	}
	if resp.StatusCode/100 != 3 || len(parts) == 0 {
		return "", fmt.Errorf("card sign-in for the page scenarios: %d, cookies %v", resp.StatusCode, parts)
	}
	return strings.Join(parts, "; "), nil
}
