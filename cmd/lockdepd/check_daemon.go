package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/golockdep/lockdep/reports"
)

// reportsPath is the daemon's merged reports as JSON (reports.ReportsJSON).
const reportsPath = "/api/v1/reports"

// fetchReports asks the daemon at o.daemon for its merged reports, within
// o.timeout, with the bearer token in o.tokenFile if any. The answer is
// read up to reportMaxBytes.
func fetchReports(o checkOptions) (*reports.ReportsJSON, error) {
	u, err := url.Parse(o.daemon)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("daemon URL %q: want http://HOST:PORT", o.daemon)
	}
	base := strings.TrimRight(o.daemon, "/")
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", base+reportsPath, nil)
	if err != nil {
		return nil, fmt.Errorf("daemon URL %q: %v", o.daemon, err)
	}
	if o.tokenFile != "" {
		tok, err := os.ReadFile(o.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking the daemon: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, reportMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the daemon's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimPrefix(strings.Join(strings.Fields(string(body)), " "), "lockdepd: ")
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return nil, fmt.Errorf("GET %s: %s: %s", base+reportsPath, resp.Status, msg)
	}
	if int64(len(body)) > reportMaxBytes {
		return nil, fmt.Errorf("GET %s: answer over %s", base+reportsPath, reports.MiB(reportMaxBytes))
	}
	var doc reports.ReportsJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("GET %s: not lockdepd's reports: %v", base+reportsPath, err)
	}
	if doc.Schema < reports.MinSchemaVersion || doc.Schema > reports.SchemaVersion {
		return nil, fmt.Errorf("GET %s: schema %d, this lockdepd reads %d to %d", base+reportsPath, doc.Schema, reports.MinSchemaVersion, reports.SchemaVersion)
	}
	return &doc, nil
}
