variable "name" {}

variable "acl" {
  default = "private"
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_acl" "this" {
  bucket = aws_s3_bucket.this.id
  acl    = var.acl
}

output "id" {
  value = aws_s3_bucket.this.id
}
