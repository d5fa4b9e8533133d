package dbx

import (
	"context"

	"gorm.io/gorm"
)

// InTx reports whether ctx carries a transaction opened by WithTx. Caches
// use it to read through to the database inside one: the transaction may
// have changed what they hold (and may yet roll back), so neither a cached
// answer nor one read inside it may be shared.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}
