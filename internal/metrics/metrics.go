// Package metrics is what the service tells Prometheus (/metrics): requests
// by route, the cache, the outbox, jobs, the external services and the
// latency of Meilisearch and the store. Everything else reports to it
// through the functions here; nothing else knows Prometheus.
package metrics

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds one service's metrics (tests make their own).
type Registry struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	cache     *prometheus.CounterVec
	jobs      *prometheus.CounterVec
	meili     prometheus.Histogram
	storeTime *prometheus.HistogramVec
}

// New makes a registry with the Go runtime's and the process's metrics.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reparerer_http_requests_total",
			Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "reparerer_http_request_duration_seconds",
			Help: "HTTP request latency by route and method.", Buckets: prometheus.DefBuckets}, []string{"route", "method"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reparerer_search_cache_total",
			Help: "Search answers by cache outcome: hit, miss or bypass."}, []string{"outcome"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "reparerer_job_runs_total",
			Help: "Background job runs by job and result (ok or failed)."}, []string{"job", "result"}),
		meili: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "reparerer_meilisearch_duration_seconds",
			Help: "Latency of the index's part of a search answer.", Buckets: prometheus.DefBuckets}),
		storeTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "reparerer_store_write_duration_seconds",
			Help: "Latency of listing writes in the store.", Buckets: prometheus.DefBuckets}, []string{"operation"}),
	}
	r.reg.MustRegister(r.requests, r.latency, r.cache, r.jobs, r.meili, r.storeTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Request counts one HTTP request by its route template.
func (r *Registry) Request(route, method string, status int, took time.Duration) {
	r.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	r.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// Cache counts a search answer's cache outcome.
func (r *Registry) Cache(outcome string) { r.cache.WithLabelValues(outcome).Inc() }

// Job counts a background job's run.
func (r *Registry) Job(name string, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	r.jobs.WithLabelValues(name, result).Inc()
}

// Meilisearch records the index's part of an answer.
func (r *Registry) Meilisearch(took time.Duration) { r.meili.Observe(took.Seconds()) }

// StoreWrite records a listing write.
func (r *Registry) StoreWrite(operation string, took time.Duration) {
	r.storeTime.WithLabelValues(operation).Observe(took.Seconds())
}

// Gauge reports value() at every scrape (the outbox counts). A value that
// cannot be read is reported as NaN, never as 0: an outbox that reads 0
// while the store is down would look all caught up to an alert.
func (r *Registry) Gauge(name, help string, value func() (float64, error)) {
	r.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		v, err := value()
		if err != nil {
			return math.NaN()
		}
		return v
	}))
}

// Counter reports value() at every scrape (calls an external service
// counted itself), with constant labels.
func (r *Registry) Counter(name, help string, labels map[string]string, value func() float64) {
	r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help, ConstLabels: labels}, value))
}

// Handler serves the metrics in Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}
