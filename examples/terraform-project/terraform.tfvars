site_acl = "public-read"

databases = {
  reports = { public = true, encrypted = false }
  billing = { public = false, encrypted = true }
}
