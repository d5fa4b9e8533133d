package assessments

// The sample question TestEveryTypeInTheTable checks for qtype_shorttext.go.
var _ = sample(Question{ID: "q5", Type: ShortText, Prompt: "Capital?", Points: 1, Answer: Answer{Accepted: []string{"New Delhi"}}})
