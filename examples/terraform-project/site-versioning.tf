# The site bucket lives in a module; its versioning is configured here,
# through the module's output.
resource "aws_s3_bucket_versioning" "site" {
  bucket = module.site.id
  versioning_configuration {
    status = "Enabled"
  }
}
