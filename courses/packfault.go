package courses

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"skillgate/app/web"
)

// packFault is a problem in one of a pack's files that its author can
// fix: the file (relative to the pack, "" for the pack as a whole), the
// line where known, and the field rule saying what is wrong, whose
// English is what the command line prints and whose key and values let a
// page say it in its reader's language.
type packFault struct {
	file string
	line int
	rule web.FieldError
}

func (f *packFault) Error() string {
	switch {
	case f.file == "":
		return f.rule.Message
	case f.line > 0:
		return f.file + " line " + strconv.Itoa(f.line) + ": " + f.rule.Message
	}
	return f.file + ": " + f.rule.Message
}

// fault is the rule r, with its values, in file at line (0: unknown).
func fault(file string, line int, r web.Rule, args ...any) *packFault {
	return &packFault{file: file, line: line, rule: r.On(file, args...)}
}

// packErrorOf is err as a problem of the pack's files: the file, line and
// rule of a packFault, or for any other error its text, unkeyed.
func packErrorOf(err error) PackError {
	var f *packFault
	if errors.As(err, &f) {
		return PackError{File: f.file, Line: f.line, Message: f.rule.Message, Key: f.rule.Key, Args: f.rule.Args}
	}
	return PackError{Message: err.Error()}
}

var (
	yamlSyntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlTypeLine   = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknown    = regexp.MustCompile(`^field (\S+) not found in type `)
)

// yamlFault says why file's YAML could not be read, at its line where
// yaml.v3 gives one: a setting the file may not have, a value of the
// wrong type (the first, when there are several), or broken syntax.
func yamlFault(file string, err error) *packFault {
	if errors.Is(err, io.EOF) {
		return fault(file, 0, web.RulePackFileEmpty)
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		m := yamlTypeLine.FindStringSubmatch(te.Errors[0])
		if m == nil {
			return fault(file, 0, web.RulePackYAMLType, "Err", te.Errors[0])
		}
		line, _ := strconv.Atoi(m[1])
		if u := yamlUnknown.FindStringSubmatch(m[2]); u != nil {
			return fault(file, line, web.RulePackYAMLField, "Name", u[1])
		}
		return fault(file, line, web.RulePackYAMLType, "Err", m[2])
	}
	if m := yamlSyntaxLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return fault(file, line, web.RulePackYAMLSyntax, "Err", m[2])
	}
	return fault(file, 0, web.RulePackYAMLSyntax, "Err", strings.TrimPrefix(err.Error(), "yaml: "))
}
