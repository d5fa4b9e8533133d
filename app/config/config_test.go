package config_test

import (
	"strings"
	"testing"
	"time"

	"skillgate/app/config"
)

func TestDefaults(t *testing.T) {
	c, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "sqlite://./data/skillgate.db" || c.BaseURL != "http://localhost:8080" || !c.Seed ||
		c.WebhookAllowPrivate || c.KeyEncryptionKey != nil || c.AccessTokenTTL != 15*time.Minute || c.ShutdownTimeout != 10*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestEveryBadVariableIsReported(t *testing.T) {
	env := map[string]string{
		"SKILLGATE_DATABASE_URL":          "mysql://x",
		"SKILLGATE_BASE_URL":              "not a url",
		"SKILLGATE_SEED":                  "maybe",
		"SKILLGATE_ADMIN_EMAIL":           "a@b.c",
		"SKILLGATE_KEY_ENCRYPTION_KEY":    "short",
		"SKILLGATE_RATE_AUTH_PER_ADDRESS": "lots",
		"SKILLGATE_ACCESS_TOKEN_TTL":      "5h",
	}
	_, err := config.Load(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("no error")
	}
	for k := range env {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("%s not reported in %v", k, err)
		}
	}
}

// TestBaseURLFollowsTheListenAddress: setting only SKILLGATE_ADDR must not
// sign localhost:8080 into certificates.
func TestBaseURLFollowsTheListenAddress(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		want    string
		derived bool
	}{
		{map[string]string{}, "http://localhost:8080", false},
		{map[string]string{"SKILLGATE_ADDR": ":9090"}, "http://localhost:9090", true},
		{map[string]string{"SKILLGATE_ADDR": "0.0.0.0:8081"}, "http://localhost:8081", true},
		{map[string]string{"SKILLGATE_ADDR": "192.168.1.20:8080"}, "http://192.168.1.20:8080", true},
		{map[string]string{"SKILLGATE_ADDR": "[::1]:7000"}, "http://[::1]:7000", true},
		{map[string]string{"SKILLGATE_ADDR": ":9090", "SKILLGATE_BASE_URL": "https://skills.example.org"}, "https://skills.example.org", false},
	} {
		cfg, err := config.Load(func(k string) string { return tc.env[k] })
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if cfg.BaseURL != tc.want || cfg.BaseURLDerived != tc.derived {
			t.Errorf("%v: base URL %q (derived %v), want %q (%v)", tc.env, cfg.BaseURL, cfg.BaseURLDerived, tc.want, tc.derived)
		}
	}
}
