package dbx

import (
	"gorm.io/gorm"

	"skillgate/app/web"
)

// PageByID narrows q to one page of a list in id order: up to p.Limit+1 rows (p.Limit 0: all) after the cursor, oldest first, or with newestFirst before it, newest first.
func PageByID(q *gorm.DB, p web.Page, newestFirst bool) *gorm.DB {
	order, after := "id", "id > ?"
	if newestFirst {
		order, after = "id DESC", "id < ?"
	}
	q = q.Order(order)
	if p.Limit > 0 {
		q = q.Limit(p.Limit + 1)
	}
	if p.After != "" {
		q = q.Where(after, p.After)
	}
	return q
}
