package assessments

// The sample question TestEveryTypeInTheTable checks for qtype_truefalse.go.
var _ = sample(Question{ID: "q3", Type: TrueFalse, Prompt: "True?", Points: 1, Answer: Answer{Bool: new(bool)}})
