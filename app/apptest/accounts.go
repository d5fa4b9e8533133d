package apptest

import (
	"skillgate/accounts"
	"skillgate/app/web"
)

func accountsNewUser(email, name string, role web.Role, org string) accounts.NewUser {
	return accounts.NewUser{Email: email, Password: TestPassword, Name: name, Role: role, OrganizationID: org}
}
