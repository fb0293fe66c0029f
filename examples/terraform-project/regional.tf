# One module instance per region; only the US bucket is made public.
module "regional" {
  for_each = toset(["eu", "us"])
  source   = "./modules/bucket"
  name     = "acme-${each.key}"
  acl      = each.key == "us" ? "public-read-write" : "private"
}
