package main

import (
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// wireDB is the process's one database handle.
type wireDB struct{ DB *gorm.DB }

func dialectName(w *wireDB) string { return string(dbx.DialectOf(w.DB)) }
