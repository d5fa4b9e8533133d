package wire

import (
	"context"

	"skillgate/app/web"
	"skillgate/certs"
)

// Publishers tells certificates who published each course (the owning
// trainer's name and organization; the platform for built-in courses) and
// whether an admin endorsed it, so that a look-alike course cannot pass
// for an official one on any verify surface.
func (s certSeam) Publishers(ctx context.Context, courseIDs []string) (map[string]certs.Publisher, error) {
	pubs, err := s.courses.Publishers(ctx, courseIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]certs.Publisher, len(pubs))
	orgs := map[string]string{}
	for id, p := range pubs {
		cp := certs.Publisher{BuiltIn: p.OwnerID == "", Endorsed: p.Endorsed, OwnerID: p.OwnerID}
		if p.OwnerID != "" {
			u, err := s.accounts.User(ctx, p.OwnerID)
			switch {
			case web.IsKind(err, web.KindNotFound):
				// A deleted account: the course stays, its publisher is unknown.
			case err != nil:
				return nil, err
			default:
				cp.Name = u.Name
				if u.OrganizationID != "" {
					name, seen := orgs[u.OrganizationID]
					if !seen {
						o, err := s.accounts.Organization(ctx, u.OrganizationID)
						if err != nil && !web.IsKind(err, web.KindNotFound) {
							return nil, err
						}
						name, orgs[u.OrganizationID] = o.Name, o.Name
					}
					cp.Organization = name
				}
			}
		}
		out[id] = cp
	}
	return out, nil
}

// CourseVersionBySlug describes a published version by the course's slug,
// with the pass mark of its final, for the achievement URL.
func (s certSeam) CourseVersionBySlug(ctx context.Context, slug string, version int) (certs.CourseInfo, error) {
	head, err := s.courses.CourseHead(ctx, slug)
	if err != nil {
		return certs.CourseInfo{}, err
	}
	if head.Slug != slug {
		return certs.CourseInfo{}, web.NotFound("achievement") // the URL names slugs, never ids
	}
	v, err := s.courses.PublishedVersion(ctx, head.ID, version)
	if err != nil {
		return certs.CourseInfo{}, err
	}
	info := certs.CourseInfo{ID: v.CourseID, Slug: v.Slug, Title: v.Title, Summary: v.Summary, Language: v.Language,
		Version: v.Number, ValidityDays: v.CertificateValidityDays}
	for _, a := range v.Snapshot.Assessments {
		if a.Kind == "final" {
			info.PassPercent = a.PassPercent
		}
	}
	return info, nil
}

var _ certs.Courses = certSeam{}
