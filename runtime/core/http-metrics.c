#include "http-metrics.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "OTHER"};
enum { NMETHODS = sizeof methods / sizeof methods[0], NCLASSES = 5 };
/* Prometheus's default buckets, in seconds. */
static const double bucket_le[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
enum { NBUCKETS = sizeof bucket_le / sizeof bucket_le[0] };
static int64_t bucket_ns[NBUCKETS];

static uint64_t requests[NMETHODS][NCLASSES];
static uint64_t buckets[NBUCKETS + 1]; /* per bucket, not cumulative; the last is +Inf */
static uint64_t duration_sum_ns, in_flight, bytes_in, bytes_out;
static uint64_t faults[3]; /* 500, 503, 504 */
static uint64_t spans_exported, spans_dropped_full, spans_dropped_export;
static double start_time;

void http_metrics_request_begun(void) {
  in_flight++;
}
void http_metrics_request_ended(void) {
  in_flight--;
}
void http_metrics_bytes_in(size_t n) {
  bytes_in += n;
}
void http_metrics_bytes_out(size_t n) {
  bytes_out += n;
}

static size_t method_index(const char *m, size_t n) {
  for (size_t i = 0; i < NMETHODS - 1; i++)
    if (strlen(methods[i]) == n && memcmp(methods[i], m, n) == 0) return i;
  return NMETHODS - 1;
}

void http_metrics_request_done(const char *method, size_t method_len, int status, int64_t duration_ns) {
  size_t cls = status >= 100 && status < 600 ? (size_t)(status / 100 - 1) : NCLASSES - 1;
  requests[method_index(method, method_len)][cls]++;
  if (bucket_ns[0] == 0)
    for (size_t i = 0; i < NBUCKETS; i++) bucket_ns[i] = (int64_t)(bucket_le[i] * 1e9);
  size_t b = 0;
  while (b < NBUCKETS && duration_ns > bucket_ns[b]) b++;
  buckets[b]++;
  duration_sum_ns += (uint64_t)(duration_ns > 0 ? duration_ns : 0);
}

void http_metrics_fault(int status) {
  faults[status == 503 ? 1 : status == 504 ? 2 : 0]++;
}

void http_metrics_spans(uint64_t exported, uint64_t dropped_full, uint64_t dropped_export) {
  spans_exported += exported;
  spans_dropped_full += dropped_full;
  spans_dropped_export += dropped_export;
}

const char *http_metrics_content_type(bool openmetrics) {
  return openmetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                     : "text/plain; version=0.0.4; charset=utf-8";
}

/* ---- rendering ---- */

static void appendf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void appendf(buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A family's HELP and TYPE. In OpenMetrics a counter's family name has no _total (its
   samples do) and build_info is an info family named without _info. */
static void family(buf *b, bool om, const char *name, const char *type, const char *help) {
  char fam[128];
  snprintf(fam, sizeof fam, "%s", name);
  size_t n = strlen(fam);
  if (om && strcmp(type, "counter") == 0 && n > 6 && strcmp(fam + n - 6, "_total") == 0) fam[n - 6] = 0;
  if (om && strcmp(type, "info") == 0 && n > 5 && strcmp(fam + n - 5, "_info") == 0) fam[n - 5] = 0;
  if (!om && strcmp(type, "info") == 0) type = "gauge";
  appendf(b, "# HELP %s %s\n# TYPE %s %s\n", fam, help, fam, type);
}

static void sample_u(buf *b, const char *name, const char *labels, uint64_t v) {
  buf_append_str(b, name);
  if (labels && *labels) {
    buf_append(b, "{", 1);
    buf_append_str(b, labels);
    buf_append(b, "}", 1);
  }
  buf_append(b, " ", 1);
  buf_append_uint(b, v);
  buf_append(b, "\n", 1);
}

static void sample_f(buf *b, const char *name, double v) {
  appendf(b, "%s %.9g\n", name, v);
}

/* A label value: backslash, quote and newline escaped, as both formats require. */
static void label_value(buf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '\\' || *s == '"')
      buf_append(b, "\\", 1), buf_append(b, s, 1);
    else if (*s == '\n')
      buf_append(b, "\\n", 2);
    else
      buf_append(b, s, 1);
  }
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* When the process started, from its start tick in /proc (read once, at serve), else the time it was first asked. */
static double process_start_time(void) {
  if (start_time > 0) return start_time;
  double started = 0;
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char text[1024];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    char *p = n > 0 ? (text[n] = 0, strrchr(text, ')')) : NULL;
    /* starttime is field 22; the comm field (2) may hold spaces, so count from its ')' */
    for (int field = 2; p && field < 22; field++) p = strchr(p + 1, ' ');
    struct timespec boot_rel;
    if (p && clock_gettime(CLOCK_BOOTTIME, &boot_rel) == 0) {
      double ticks = (double)strtoull(p + 1, NULL, 10), hz = (double)sysconf(_SC_CLK_TCK);
      double since_boot = (double)boot_rel.tv_sec + (double)boot_rel.tv_nsec / 1e9;
      started = now_seconds() - (since_boot - ticks / hz);
    }
  }
  start_time = started > 0 ? started : now_seconds();
  return start_time;
}

static uint64_t resident_bytes(void) {
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[128];
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return 0;
  text[n] = 0;
  char *p = strchr(text, ' ');
  return p ? strtoull(p + 1, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

void http_metrics_init(void) {
  process_start_time();
}

void http_metrics_render(buf *b, bool om, const http_metrics_gauges *g) {
  static const char *const classes[NCLASSES] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  family(b, om, "scratchfn_http_requests_total", "counter",
         "HTTP requests the function was handed and answered, by method and status class (health checks and /metrics "
         "not counted).");
  char labels[64];
  for (size_t m = 0; m < NMETHODS; m++)
    for (size_t c = 0; c < NCLASSES; c++) {
      if (!requests[m][c]) continue;
      snprintf(labels, sizeof labels, "method=\"%s\",code=\"%s\"", methods[m], classes[c]);
      sample_u(b, "scratchfn_http_requests_total", labels, requests[m][c]);
    }

  family(b, om, "scratchfn_http_request_duration_seconds", "histogram",
         "Time from a request's complete head to the end of its response.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= NBUCKETS; i++) {
    cumulative += buckets[i];
    if (i < NBUCKETS)
      snprintf(labels, sizeof labels, "le=\"%g\"", bucket_le[i]);
    else
      snprintf(labels, sizeof labels, "le=\"+Inf\"");
    sample_u(b, "scratchfn_http_request_duration_seconds_bucket", labels, cumulative);
  }
  sample_f(b, "scratchfn_http_request_duration_seconds_sum", (double)duration_sum_ns / 1e9);
  sample_u(b, "scratchfn_http_request_duration_seconds_count", NULL, cumulative);

  family(b, om, "scratchfn_http_requests_in_flight", "gauge", "Requests handed to the function and not yet answered.");
  sample_u(b, "scratchfn_http_requests_in_flight", NULL, in_flight);
  family(b, om, "scratchfn_http_connections_open", "gauge", "Client connections open now.");
  sample_u(b, "scratchfn_http_connections_open", NULL, g->connections_open);
  family(b, om, "scratchfn_http_connections_accepted_total", "counter", "Client connections accepted to be served.");
  sample_u(b, "scratchfn_http_connections_accepted_total", NULL, g->connections_accepted);
  family(
      b, om, "scratchfn_http_connections_refused_total", "counter",
      "Client connections answered 503 and closed: over SCRATCHFN_MAX_CONNECTIONS, or out of descriptors or memory.");
  sample_u(b, "scratchfn_http_connections_refused_total", NULL, g->connections_refused);
  family(b, om, "scratchfn_http_received_bytes_total", "counter", "Bytes read from client connections.");
  sample_u(b, "scratchfn_http_received_bytes_total", NULL, bytes_in);
  family(b, om, "scratchfn_http_sent_bytes_total", "counter", "Bytes written to client connections.");
  sample_u(b, "scratchfn_http_sent_bytes_total", NULL, bytes_out);

  family(b, om, "scratchfn_handler_faults_total", "counter",
         "Requests a handler failed: threw (500), ran out of JS memory (503), ran past its timeout (504).");
  sample_u(b, "scratchfn_handler_faults_total", "cause=\"error\",code=\"500\"", faults[0]);
  sample_u(b, "scratchfn_handler_faults_total", "cause=\"out_of_memory\",code=\"503\"", faults[1]);
  sample_u(b, "scratchfn_handler_faults_total", "cause=\"timeout\",code=\"504\"", faults[2]);

  family(b, om, "scratchfn_js_heap_used_bytes", "gauge", "Bytes the JS heap holds, as counted against its limit.");
  sample_u(b, "scratchfn_js_heap_used_bytes", NULL, g->heap_used);
  family(b, om, "scratchfn_js_heap_limit_bytes", "gauge", "The JS heap's limit (SCRATCHFN_HEAP_LIMIT_MB).");
  sample_u(b, "scratchfn_js_heap_limit_bytes", NULL, g->heap_limit);
  family(b, om, "scratchfn_js_gc_runs_total", "counter", "Runs of the engine's cycle collector.");
  sample_u(b, "scratchfn_js_gc_runs_total", NULL, g->gc_runs);

  family(b, om, "scratchfn_trace_spans_exported_total", "counter", "Spans sent to the OTLP endpoint and accepted.");
  sample_u(b, "scratchfn_trace_spans_exported_total", NULL, spans_exported);
  family(b, om, "scratchfn_trace_spans_dropped_total", "counter",
         "Spans not exported: the queue was full, or the export failed.");
  sample_u(b, "scratchfn_trace_spans_dropped_total", "reason=\"queue_full\"", spans_dropped_full);
  sample_u(b, "scratchfn_trace_spans_dropped_total", "reason=\"export_failed\"", spans_dropped_export);

  family(b, om, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  sample_u(b, "process_resident_memory_bytes", NULL, resident_bytes());
  family(b, om, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  appendf(b, "process_start_time_seconds %.3f\n", process_start_time());
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  family(b, om, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  sample_f(b, "process_cpu_seconds_total",
           (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);

  family(b, om, "scratchfn_build_info", "info", "The function and the runtime serving it.");
  buf_append_str(b, "scratchfn_build_info{function=\"");
  label_value(b, g->function);
  buf_append_str(b, "\",version=\"");
  label_value(b, g->version);
  buf_append_str(b, "\",engine=\"");
  label_value(b, g->engine);
  buf_append_str(b, "\"} 1\n");
  if (om) buf_append_str(b, "# EOF\n");
}
