#!/usr/bin/env python3
"""Generates a Terraform tree as projects write it, for bench/terraform.sh
and the `terraform` cargo bench: MODULES directories of FILES `.tf` files
each. One directory in ten is a root (`envs/eNNN`) with a terraform.tfvars
that calls the library modules (`modules/mNNNN`) of its group with
arguments, every third call with `for_each`; each library module has
variables, locals with functions, a bucket with its companions in other
files, a security group with a `dynamic` ingress, a `for_each` database,
an IAM policy built with `jsonencode`, and outputs.

    gen_terraform.py OUT [--modules 1000] [--files 10]
"""
import argparse
import os


def library(k, files):
    out = {}
    out["variables.tf"] = f'''variable "name" {{
  type    = string
  default = "lib{k}"
}}

variable "acl" {{
  default = "private"
}}

variable "ports" {{
  type    = list(number)
  default = [443, 8443]
}}

variable "databases" {{
  default = {{
    reports = {{ public = false, size = 20 }}
    billing = {{ public = false, size = 50 }}
  }}
}}

variable "tags" {{
  default = {{ team = "platform", module = "m{k}" }}
}}
'''
    out["locals.tf"] = f'''locals {{
  prefix   = format("%s-%s", var.name, "m{k}")
  all_tags = merge(var.tags, {{ managed = "terraform" }})
  cidrs    = [for i in range(3) : cidrsubnet("10.{k % 250}.0.0/16", 8, i)]
  admins   = concat(["arn:aws:iam::123456789012:root"], [])
  bucket   = lower(replace("${{local.prefix}}-Logs", "_", "-"))
}}
'''
    out["s3.tf"] = '''resource "aws_s3_bucket" "logs" {
  bucket = local.bucket
  tags   = local.all_tags
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = var.acl
}
'''
    out["s3_versioning.tf"] = '''resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
'''
    out["sg.tf"] = '''resource "aws_security_group" "web" {
  name = "${local.prefix}-web"

  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = local.cidrs
    }
  }
}
'''
    out["rds.tf"] = '''resource "aws_db_instance" "db" {
  for_each            = var.databases
  identifier          = "${local.prefix}-${each.key}"
  allocated_storage   = each.value.size
  publicly_accessible = each.value.public
  storage_encrypted   = true
  engine              = "postgres"
}
'''
    out["iam.tf"] = '''resource "aws_iam_policy" "read" {
  name = "${local.prefix}-read"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["arn:aws:s3:::${local.bucket}/*"]
    }]
  })
}
'''
    out["outputs.tf"] = '''output "bucket_id" {
  value = aws_s3_bucket.logs.id
}

output "prefix" {
  value = local.prefix
}
'''
    out["kms.tf"] = '''resource "aws_kms_key" "logs" {
  description         = "${local.prefix} logs"
  enable_key_rotation = true
}
'''
    out["instances.tf"] = '''resource "aws_instance" "worker" {
  count         = 2
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  tags          = merge(local.all_tags, { index = tostring(count.index) })
  metadata_options {
    http_tokens = "required"
  }
}
'''
    names = sorted(out)
    while len(names) < files:
        extra = f"extra{len(names)}.tf"
        out[extra] = out["kms.tf"].replace('"logs"', f'"e{len(names)}"')
        names.append(extra)
    return {n: out[n] for n in sorted(out)[:files]}


def root(j, members, files):
    calls = []
    for n, k in enumerate(members):
        each = '\n  for_each = toset(["blue", "green"])\n  name     = "${var.env}-${each.key}"' if n % 3 == 0 else '\n  name   = "${var.env}-m%d"' % k
        acl = '\n  acl    = var.public_acl' if n % 4 == 0 else ''
        calls.append(f'module "m{k}" {{\n  source = "../../modules/m{k}"{each}{acl}\n}}\n')
    out = {
        "variables.tf": 'variable "env" {\n  default = "dev"\n}\n\nvariable "public_acl" {\n  default = "private"\n}\n',
        "main.tf": "\n".join(calls),
        "versions.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n',
        "providers.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    }
    out["terraform.tfvars"] = f'env = "e{j}"\npublic_acl = "{"public-read" if j % 5 == 0 else "private"}"\n'
    n = 0
    while len([x for x in out if x.endswith(".tf")]) < files:
        out[f"root{n}.tf"] = f'resource "aws_cloudwatch_log_group" "g{n}" {{\n  name              = "/e{j}/{n}"\n  retention_in_days = 30\n}}\n'
        n += 1
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    roots = max(1, args.modules // 10)
    libraries = args.modules - roots
    per_root = -(-libraries // roots)
    for j in range(roots):
        members = [k for k in range(j * per_root, min((j + 1) * per_root, libraries))]
        write(os.path.join(args.out, "envs", f"e{j:03}"), root(j, members, args.files))
    for k in range(libraries):
        write(os.path.join(args.out, "modules", f"m{k}"), library(k, args.files))


def write(directory, files):
    os.makedirs(directory, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
