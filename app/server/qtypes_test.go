package server_test

import (
	"slices"
	"testing"

	"skillgate/app/server"
	"skillgate/assessments"
)

// TestOpenAPIListsEveryQuestionType fails when a question type is
// registered (assessments/qtype_*.go) but the contract's QuestionType enum
// does not list it, lists a type that is not registered, or lists them in
// another order than the table (the order messages name them in).
func TestOpenAPIListsEveryQuestionType(t *testing.T) {
	doc, err := server.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var enum []string
	if c, ok := doc["components"].(map[string]any); ok {
		if s, ok := c["schemas"].(map[string]any); ok {
			if qt, ok := s["QuestionType"].(map[string]any); ok {
				list, _ := qt["enum"].([]any)
				for _, v := range list {
					name, _ := v.(string)
					enum = append(enum, name)
				}
			}
		}
	}
	var registered []string
	for _, qt := range assessments.QuestionTypes() {
		registered = append(registered, string(qt))
	}
	if len(registered) == 0 {
		t.Fatal("no question types are registered")
	}
	if !slices.Equal(enum, registered) {
		t.Errorf("openapi.yaml components.schemas.QuestionType.enum is %v, want the registered types %v", enum, registered)
	}
}
