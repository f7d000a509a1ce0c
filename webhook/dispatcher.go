package webhook

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// MaxPayloadSize is the largest delivery accepted: GitHub caps payloads at
// 25 MB and does not send larger ones.
const MaxPayloadSize = 25 << 20

// Dispatcher is the POST /webhook handler. For each delivery, in this order:
// it caps the body (413), verifies X-Hub-Signature-256 over the raw bytes
// before parsing anything (401), deduplicates X-GitHub-Delivery (a
// redelivery is answered 200 and not run again), answers ping (200), routes
// the event to its handler (202 when there is none, 400 for a malformed
// payload), and submits the tasks (202, or 503 when the queue is full). It
// does no network I/O: the answer takes milliseconds.
type Dispatcher struct {
	secret   []byte
	handlers map[string]EventHandler
	sched    Scheduler
	seen     *recentSet
	metrics  *Metrics
	logger   *slog.Logger
	now      func() time.Time
}

// Headers GitHub sets on every delivery.
const (
	EventHeader    = "X-GitHub-Event"
	DeliveryHeader = "X-GitHub-Delivery"
)

func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := d.now()
	event := r.Header.Get(EventHeader)
	outcome, code, msg := d.serve(w, r, event)
	d.metrics.delivery(event, outcome, d.now().Sub(start).Seconds())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

func (d *Dispatcher) serve(w http.ResponseWriter, r *http.Request, event string) (outcome string, code int, msg string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return outcomeBadRequest, http.StatusMethodNotAllowed, "method not allowed"
	}
	if r.ContentLength > MaxPayloadSize {
		return outcomeTooLarge, http.StatusRequestEntityTooLarge, "payload too large"
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return outcomeTooLarge, http.StatusRequestEntityTooLarge, "payload too large"
		}
		return outcomeBadRequest, http.StatusBadRequest, "cannot read body"
	}
	// Nothing of the request is believed before this line.
	if err := VerifySignature(body, r.Header.Get(SignatureHeader), d.secret); err != nil {
		d.logger.Warn("delivery rejected", "error", err, "remote_addr", r.RemoteAddr)
		return outcomeInvalidSignature, http.StatusUnauthorized, err.Error()
	}
	id := r.Header.Get(DeliveryHeader)
	if event == "" || !validDeliveryID(id) {
		return outcomeBadRequest, http.StatusBadRequest, "missing or invalid " + EventHeader + " or " + DeliveryHeader + " header"
	}
	log := d.logger.With(LogKeyDeliveryID, id, LogKeyEventType, event)
	payload, err := jsonPayload(r.Header.Get("Content-Type"), body)
	if err != nil {
		log.Warn("delivery rejected", "error", err)
		return outcomeBadRequest, http.StatusBadRequest, err.Error()
	}
	if !d.seen.Add(id) {
		log.Info("redelivery of a delivery already accepted; not run again")
		return outcomeDuplicate, http.StatusOK, "duplicate delivery"
	}
	if event == "ping" {
		log.Info("ping")
		return outcomePing, http.StatusOK, "pong"
	}
	h := d.handlers[event]
	if h == nil {
		return outcomeIgnored, http.StatusAccepted, "event ignored"
	}
	tasks, err := route(h, Delivery{ID: id, Event: event, Payload: payload, Logger: log})
	if err != nil {
		log.Warn("delivery rejected", "error", err)
		return outcomeBadRequest, http.StatusBadRequest, "malformed payload"
	}
	if len(tasks) == 0 {
		return outcomeIgnored, http.StatusAccepted, "nothing to do"
	}
	for i, t := range tasks {
		if err := d.sched.Submit(t); err != nil {
			if i == 0 {
				// Nothing was queued: forget the id so GitHub's redelivery
				// is taken.
				d.seen.Remove(id)
				log.Warn("delivery not queued", "error", err)
				return outcomeQueueFull, http.StatusServiceUnavailable, err.Error()
			}
			log.Error("part of a delivery not queued", "error", err, "tasks_queued", i, "tasks", len(tasks))
			break
		}
	}
	log.Debug("delivery queued", "tasks", len(tasks))
	return outcomeAccepted, http.StatusAccepted, "queued"
}

// route calls h.Route, turning a panic on a hostile payload into an error.
func route(h EventHandler, d Delivery) (tasks []Task, err error) {
	defer func() {
		if p := recover(); p != nil {
			tasks, err = nil, errors.New("payload could not be routed")
			d.Logger.Error("route panicked", "panic", p)
		}
	}()
	return h.Route(d)
}

// jsonPayload returns the JSON document of a delivery. A webhook configured
// with content type application/x-www-form-urlencoded sends it in the
// "payload" form field; the signature covers the form body.
func jsonPayload(contentType string, body []byte) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errors.New("malformed form body")
		}
		body = []byte(form.Get("payload"))
	}
	// Not validated here: the handler's decode does that in the same pass,
	// and an event without a handler is never parsed at all.
	return body, nil
}

// validDeliveryID accepts GitHub's delivery ids (UUIDs) and anything alike:
// 1 to 64 letters, digits and dashes. The id goes into logs and the
// persisted delivery log, so it may hold nothing else.
func validDeliveryID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// readBody reads the capped body into one buffer sized by Content-Length
// (io.ReadAll would grow and copy a 28 KB payload five times).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := http.MaxBytesReader(w, r.Body, MaxPayloadSize)
	if r.ContentLength <= 0 {
		return io.ReadAll(rd)
	}
	buf := bytes.NewBuffer(make([]byte, 0, r.ContentLength+1))
	_, err := buf.ReadFrom(rd)
	return buf.Bytes(), err
}
