package doctest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/cqltrack/cqltrack/cmd/cqltrack/cli"
)

// readYAML decodes a YAML file of the repository into v.
func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestShippedYAMLParses: every YAML file cqltrack ships parses.
func TestShippedYAMLParses(t *testing.T) {
	for _, name := range []string{"docker-compose.yml", ".pre-commit-hooks.yaml", "action.yml", ".goreleaser.yaml"} {
		var v any
		readYAML(t, name, &v)
		if v == nil {
			t.Errorf("%s is empty", name)
		}
	}
}

func TestDockerCompose(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Ports       []string          `yaml:"ports"`
			Environment map[string]string `yaml:"environment"`
			Healthcheck struct {
				Test     []string `yaml:"test"`
				Interval string   `yaml:"interval"`
				Retries  int      `yaml:"retries"`
			} `yaml:"healthcheck"`
			Build struct {
				Context    string `yaml:"context"`
				Dockerfile string `yaml:"dockerfile"`
			} `yaml:"build"`
			Profiles  []string `yaml:"profiles"`
			DependsOn map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Volumes    []string `yaml:"volumes"`
			WorkingDir string   `yaml:"working_dir"`
		} `yaml:"services"`
	}
	readYAML(t, "docker-compose.yml", &compose)

	cass, ok := compose.Services["cassandra"]
	if !ok {
		t.Fatal("no cassandra service")
	}
	if !strings.HasPrefix(cass.Image, "cassandra:5") {
		t.Errorf("cassandra image %q, want Cassandra 5 (cassandra:5.x)", cass.Image)
	}
	if !slices.Contains(cass.Ports, "9042:9042") {
		t.Errorf("cassandra ports %v: 9042 must be published for CQLTRACK_TEST_HOSTS=127.0.0.1:9042", cass.Ports)
	}
	hc := strings.Join(cass.Healthcheck.Test, " ")
	if !strings.HasPrefix(hc, "CMD") || !(strings.Contains(hc, "cqlsh") || strings.Contains(hc, "nodetool")) {
		t.Errorf("cassandra healthcheck %q: want a CMD running cqlsh or nodetool", hc)
	}
	if cass.Healthcheck.Retries == 0 || cass.Healthcheck.Interval == "" {
		t.Errorf("cassandra healthcheck needs an interval and retries: Cassandra takes a minute to start")
	}

	tool, ok := compose.Services["cqltrack"]
	if !ok {
		t.Fatal("no cqltrack service")
	}
	if len(tool.Profiles) == 0 {
		t.Error("the cqltrack service has no profile: a plain `docker compose up` would run it")
	}
	if dep := tool.DependsOn["cassandra"].Condition; dep != "service_healthy" {
		t.Errorf("cqltrack depends on cassandra with condition %q, want service_healthy", dep)
	}
	if tool.Environment["CQLTRACK_HOSTS"] != "cassandra" {
		t.Errorf("cqltrack's CQLTRACK_HOSTS = %q, want the cassandra service", tool.Environment["CQLTRACK_HOSTS"])
	}
	if _, err := os.Stat(filepath.Join(repoRoot, tool.Build.Context, tool.Build.Dockerfile)); err != nil {
		t.Errorf("cqltrack build: %v", err)
	}
	for _, v := range tool.Volumes {
		src, _, _ := strings.Cut(v, ":")
		if strings.HasPrefix(src, "./") {
			if _, err := os.Stat(filepath.Join(repoRoot, src)); err != nil {
				t.Errorf("cqltrack volume %q: %v", v, err)
			}
		}
	}
}

func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID            string `yaml:"id"`
		Name          string `yaml:"name"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		Files         string `yaml:"files"`
		PassFilenames *bool  `yaml:"pass_filenames"`
	}
	readYAML(t, ".pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 || hooks[0].ID != "cqltrack-lint" {
		t.Fatalf("hooks %+v, want one: cqltrack-lint", hooks)
	}
	h := hooks[0]
	if h.Language != "golang" || h.Entry != "cqltrack lint" || h.Name == "" {
		t.Errorf("cqltrack-lint: language %q entry %q name %q, want golang, \"cqltrack lint\" and a name", h.Language, h.Entry, h.Name)
	}
	if h.PassFilenames == nil || !*h.PassFilenames {
		t.Error("cqltrack-lint must pass the changed file names, so that only they are linted")
	}
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files %q: %v", h.Files, err)
	}
	for name, want := range map[string]bool{
		"migrations/V001__create_users.cql": true,
		"db/V2__x.cql":                      true,
		"cqltrack.yml":                      false,
		"main.go":                           false,
		"notes.cql.md":                      false,
	} {
		if re.MatchString(name) != want {
			t.Errorf("files %q matches %s: %v, want %v", h.Files, name, !want, want)
		}
	}
	// pre-commit installs a golang hook with `go install ./...` at the
	// repository root, which therefore must build for the host.
	cmd := exec.Command(goTool(), "list", "-e", "-f", "{{if .Error}}{{.ImportPath}}: {{.Error}}{{end}}", "./...")
	cmd.Dir = repoRoot
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("go list ./... (what pre-commit's go install builds): %v\n%s", err, out)
	}
}

func TestAction(t *testing.T) {
	type step struct {
		Name             string            `yaml:"name"`
		ID               string            `yaml:"id"`
		If               string            `yaml:"if"`
		Uses             string            `yaml:"uses"`
		Run              string            `yaml:"run"`
		Shell            string            `yaml:"shell"`
		With             map[string]string `yaml:"with"`
		Env              map[string]string `yaml:"env"`
		WorkingDirectory string            `yaml:"working-directory"`
	}
	var action struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
		Inputs      map[string]struct {
			Description string  `yaml:"description"`
			Required    bool    `yaml:"required"`
			Default     *string `yaml:"default"`
		} `yaml:"inputs"`
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []step `yaml:"steps"`
		} `yaml:"runs"`
	}
	readYAML(t, "action.yml", &action)
	if action.Name == "" || action.Description == "" {
		t.Error("an action needs a name and a description")
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", action.Runs.Using)
	}
	for _, in := range []string{"version", "command", "working-directory"} {
		i, ok := action.Inputs[in]
		if !ok || i.Description == "" || i.Default == nil {
			t.Errorf("input %q missing, undescribed or without a default", in)
		}
	}
	if d := action.Inputs["command"].Default; d == nil || !strings.HasPrefix(*d, "lint ") || !strings.Contains(*d, "--format sarif") {
		t.Errorf("the command input's default should lint with --format sarif, got %v", d)
	}
	ids := map[string]bool{}
	var installs, uploads bool
	for i, s := range action.Runs.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.Name)
		switch {
		case s.Run != "" && s.Uses != "":
			t.Errorf("%s has both run and uses", where)
		case s.Run != "" && s.Shell == "":
			t.Errorf("%s: a composite action's run step must name its shell", where)
		case s.Run == "" && s.Uses == "":
			t.Errorf("%s has neither run nor uses", where)
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
		if strings.Contains(s.Run, "go install \"github.com/cqltrack/cqltrack/cmd/cqltrack@${CQLTRACK_VERSION}\"") &&
			s.Env["CQLTRACK_VERSION"] == "${{ inputs.version }}" {
			installs = true
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads = true
			if s.With["sarif_file"] == "" {
				t.Errorf("%s: upload-sarif without sarif_file", where)
			}
		}
		// Steps refer only to steps before them.
		for _, m := range regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.`).FindAllStringSubmatch(s.If+s.Run+fmt.Sprint(s.With)+fmt.Sprint(s.Env), -1) {
			if !ids[m[1]] {
				t.Errorf("%s refers to step %q, which does not run before it", where, m[1])
			}
		}
	}
	if !installs {
		t.Error("no step installs cqltrack with go install ...@${{ inputs.version }}")
	}
	if !uploads {
		t.Error("no step uploads SARIF with github/codeql-action/upload-sarif")
	}
	for name, o := range action.Outputs {
		m := regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.`).FindStringSubmatch(o.Value)
		if m == nil || !ids[m[1]] {
			t.Errorf("output %q = %q does not come from a step of the action", name, o.Value)
		}
	}
}

func TestGoreleaser(t *testing.T) {
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			ID      string   `yaml:"id"`
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			IDs             []string `yaml:"ids"`
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
			Files []string `yaml:"files"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	readYAML(t, ".goreleaser.yaml", &cfg)
	if cfg.Version != 2 {
		t.Errorf("version %d, want 2 (goreleaser v2 configuration)", cfg.Version)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if _, err := os.Stat(filepath.Join(repoRoot, b.Main, "main.go")); err != nil || b.Binary != "cqltrack" {
		t.Errorf("build main %q binary %q: want ./cmd/cqltrack and cqltrack (%v)", b.Main, b.Binary, err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build env %v flags %v: want CGO_ENABLED=0 and -trimpath", b.Env, b.Flags)
	}
	// The -X target must be the variable the binary prints: cli.Version.
	_ = cli.Version
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X github.com/cqltrack/cqltrack/cmd/cqltrack/cli.Version={{.Version}}") {
		t.Errorf("ldflags %v do not set cli.Version", b.Ldflags)
	}
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("targets %v × %v, want linux, darwin, windows × amd64, arm64", b.Goos, b.Goarch)
	}
	if len(cfg.Archives) == 0 || !slices.Contains(cfg.Archives[0].IDs, b.ID) {
		t.Fatalf("no archive of build %q", b.ID)
	}
	a := cfg.Archives[0]
	if !slices.Contains(a.Formats, "tar.gz") {
		t.Errorf("archive formats %v, want tar.gz", a.Formats)
	}
	zip := false
	for _, o := range a.FormatOverrides {
		zip = zip || (o.Goos == "windows" && slices.Contains(o.Formats, "zip"))
	}
	if !zip {
		t.Error("windows archives should be zip")
	}
	for _, pattern := range a.Files {
		if m, _ := filepath.Glob(filepath.Join(repoRoot, pattern)); len(m) == 0 {
			t.Errorf("archive files %q match nothing", pattern)
		}
	}
	if cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v, want a file of sha256 sums", cfg.Checksum)
	}
}

// dockerInstructions are the Dockerfile instructions Docker knows.
var dockerInstructions = map[string]bool{
	"FROM": true, "RUN": true, "CMD": true, "LABEL": true, "MAINTAINER": true, "EXPOSE": true,
	"ENV": true, "ADD": true, "COPY": true, "ENTRYPOINT": true, "VOLUME": true, "USER": true,
	"WORKDIR": true, "ARG": true, "ONBUILD": true, "STOPSIGNAL": true, "HEALTHCHECK": true, "SHELL": true,
}

// instruction is one logical Dockerfile line, continuations joined.
type instruction struct {
	line int
	cmd  string // upper case
	args string
}

// parseDockerfile splits a Dockerfile into instructions: comments and
// blank lines dropped, lines ending in a backslash joined with the next
// (comment lines inside a continuation are skipped, as Docker does).
func parseDockerfile(text string) ([]instruction, error) {
	var out []instruction
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`) + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
		cur.Reset()
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("line %d: continuation at the end of the file", start)
	}
	return out, nil
}

// flagValue returns the value of --name=value among an instruction's
// leading flags.
func flagValue(args, name string) (string, bool) {
	for _, f := range strings.Fields(args) {
		if !strings.HasPrefix(f, "--") {
			break
		}
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// checkDockerfile returns what is wrong with a Dockerfile's structure:
// unknown instructions, anything but ARG before the first FROM, duplicate
// stage names, COPY --from naming a stage not defined before it, exec-form
// arguments that are not a JSON array of strings, and shell-form RUN in a
// stage built on an image without a shell (distroless).
func checkDockerfile(text string) []string {
	ins, err := parseDockerfile(text)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	stages := map[string]bool{}
	nStages := 0
	shellless := false
	for _, in := range ins {
		bad := func(format string, a ...any) {
			problems = append(problems, fmt.Sprintf("line %d: %s: %s", in.line, in.cmd, fmt.Sprintf(format, a...)))
		}
		if !dockerInstructions[in.cmd] {
			bad("unknown instruction")
			continue
		}
		if nStages == 0 && in.cmd != "FROM" && in.cmd != "ARG" {
			bad("before the first FROM (only ARG may be)")
		}
		switch in.cmd {
		case "FROM":
			f := strings.Fields(in.args)
			for len(f) > 0 && strings.HasPrefix(f[0], "--") {
				f = f[1:]
			}
			switch {
			case len(f) == 1:
			case len(f) == 3 && strings.EqualFold(f[1], "AS"):
				if stages[strings.ToLower(f[2])] {
					bad("stage %q defined twice", f[2])
				}
				stages[strings.ToLower(f[2])] = true
			default:
				bad("want FROM image [AS name], got %q", in.args)
				continue
			}
			nStages++
			shellless = strings.Contains(f[0], "distroless") || f[0] == "scratch"
		case "COPY", "ADD":
			if from, ok := flagValue(in.args, "from"); ok {
				if !stages[strings.ToLower(from)] && !strings.ContainsAny(from, ":/") {
					bad("--from=%s names no stage defined before it", from)
				}
			}
		case "RUN", "CMD", "ENTRYPOINT", "SHELL":
			if strings.HasPrefix(in.args, "[") {
				var argv []string
				if err := json.Unmarshal([]byte(in.args), &argv); err != nil || len(argv) == 0 {
					bad("exec form is not a JSON array of strings: %s", in.args)
				}
			} else if in.cmd == "RUN" && shellless {
				bad("shell form in a stage whose image has no shell; use the exec form")
			} else if in.cmd == "SHELL" {
				bad("SHELL takes the exec form only")
			}
		}
	}
	if nStages == 0 {
		problems = append(problems, "no FROM")
	}
	return problems
}

func TestCheckDockerfile(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // a problem that must be reported; "" for none
	}{
		{"valid", "# c\nARG V=1\nFROM golang:${V} AS build\nRUN go build \\\n  -o /x .\nFROM scratch\nCOPY --from=build /x /x\nENTRYPOINT [\"/x\"]\n", ""},
		{"instruction before FROM", "RUN true\nFROM alpine\n", "line 1: RUN: before the first FROM"},
		{"unknown instruction", "FROM alpine\nRUNN true\n", "line 2: RUNN: unknown instruction"},
		{"copy from an unknown stage", "FROM alpine AS a\nFROM alpine\nCOPY --from=b /x /x\n", "line 3: COPY: --from=b names no stage"},
		{"copy from a later stage", "FROM alpine\nCOPY --from=later /x /x\nFROM alpine AS later\n", "line 2: COPY: --from=later"},
		{"bad exec form", "FROM alpine\nCMD [\"a\", b]\n", "line 2: CMD: exec form is not a JSON array"},
		{"shell RUN on distroless", "FROM gcr.io/distroless/static-debian12:nonroot\nRUN echo hi\n", "line 2: RUN: shell form in a stage whose image has no shell"},
		{"duplicate stage", "FROM alpine AS a\nFROM alpine AS A\n", "stage \"A\" defined twice"},
		{"no FROM", "ARG X=1\n", "no FROM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(checkDockerfile(tt.text), "\n")
			if tt.want == "" && got != "" {
				t.Errorf("problems in a valid Dockerfile:\n%s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("problems %q do not include %q", got, tt.want)
			}
		})
	}
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, p := range checkDockerfile(text) {
		t.Errorf("Dockerfile %s", p)
	}
	ins, _ := parseDockerfile(text)
	var froms []string
	var build, final []instruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			froms = append(froms, in.args)
		}
		switch len(froms) {
		case 1:
			build = append(build, in)
		case 2:
			final = append(final, in)
		}
	}
	if len(froms) != 2 || !strings.HasPrefix(froms[0], "golang:") || !strings.HasPrefix(froms[1], "gcr.io/distroless/static") || !strings.Contains(froms[1], "nonroot") {
		t.Fatalf("stages %q, want golang then distroless static nonroot", froms)
	}
	has := func(ins []instruction, cmd, substr string) bool {
		for _, in := range ins {
			if in.cmd == cmd && strings.Contains(in.args, substr) {
				return true
			}
		}
		return false
	}
	for _, want := range []struct{ cmd, substr string }{
		{"RUN", "CGO_ENABLED=0 go build -trimpath"},
		{"RUN", "-X github.com/cqltrack/cqltrack/cmd/cqltrack/cli.Version="},
		{"RUN", "./cmd/cqltrack"},
	} {
		if !has(build, want.cmd, want.substr) {
			t.Errorf("build stage has no %s with %q", want.cmd, want.substr)
		}
	}
	for _, want := range []struct{ cmd, substr string }{
		{"COPY", "--from=build /out/cqltrack"},
		{"ENV", "CQLTRACK_PLUGIN_CACHE_DIR=/home/nonroot/"},
		{"USER", "nonroot"},
		{"RUN", `"cache", "warm"`},
		{"ENTRYPOINT", "cqltrack"},
	} {
		if !has(final, want.cmd, want.substr) {
			t.Errorf("final stage has no %s with %q", want.cmd, want.substr)
		}
	}
	// The cache is warmed by the user the image runs as: USER comes first.
	user, warm := -1, -1
	for i, in := range final {
		if in.cmd == "USER" && user < 0 {
			user = i
		}
		if in.cmd == "RUN" && strings.Contains(in.args, "warm") {
			warm = i
		}
	}
	if user < 0 || warm < user {
		t.Error("the cache is warmed before USER nonroot: the runtime user could not use it")
	}
}

// TestDockerignore: the build context keeps what the binary is built from.
func TestDockerignore(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, strings.TrimPrefix(line, "/"))
		}
	}
	cmd := exec.Command(goTool(), "list", "-deps", "-f",
		`{{if .Module}}{{if .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`,
		"./cmd/cqltrack")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, f := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(repoRoot, f)
		if err != nil {
			t.Fatal(err)
		}
		needed = append(needed, filepath.ToSlash(rel))
	}
	if len(needed) < 10 {
		t.Fatalf("go list found only %v", needed)
	}
	for _, f := range needed {
		for _, p := range patterns {
			if ignored(p, f) {
				t.Errorf(".dockerignore pattern %q leaves %s out of the build", p, f)
			}
		}
	}
}

// ignored reports whether a .dockerignore pattern excludes path: the
// pattern matches the path or one of its parent directories, and a leading
// **/ matches at any depth.
func ignored(pattern, path string) bool {
	parts := strings.Split(path, "/")
	for i := 1; i <= len(parts); i++ {
		prefix := strings.Join(parts[:i], "/")
		if ok, _ := filepath.Match(pattern, prefix); ok {
			return true
		}
		if rest, found := strings.CutPrefix(pattern, "**/"); found {
			for j := 0; j < i; j++ {
				if ok, _ := filepath.Match(rest, strings.Join(parts[j:i], "/")); ok {
					return true
				}
			}
		}
	}
	return false
}
