// Package admin is the supervisor console (/admin, server-rendered) and the
// JSON API (/api/v1, bearer tokens).
//
// Adding a console page takes one small file and one template:
//
//   - A handler method on *Console, func (h *Console) groups(c *gin.Context),
//     registered in Console.Register on the session group g (one line). On g
//     every request has a session, and every POST has passed the CSRF check.
//     Use scopeOf(c) for the store.Scope to pass to queries (a supervisor's
//     sub-counties), userOf(c) for the user, h.adminOnly as route middleware
//     for administrators' pages, and h.postUpload for a route that takes a
//     CSV upload (10 MiB instead of 1 MiB).
//   - Answer with h.render(c, status, "groups", data), h.redirect(c, path,
//     flash) after a POST (the flash message shows once on the next page),
//     or h.fail(c, err): store.ErrNotFound, which the store answers for
//     objects outside the scope too, becomes 404.
//   - templates/groups.html defines "title" and "content"; the page's data
//     is .Data, and every POST form contains {{template "csrf" $}}. Add the
//     tab to nav (dashboard.go) if the page has one.
package admin
