# A project as teams write it: local modules (one called per region with
# for_each), tfvars and *.auto.tfvars, for_each, a dynamic block, functions,
# companions in other files and through a module output.

module "site" {
  source = "./modules/bucket"
  name   = "acme-site"
  acl    = var.site_acl
}

module "logs" {
  source = "./modules/bucket"
  name   = "acme-logs"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  dynamic "ingress" {
    for_each = var.admin_ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_db_instance" "db" {
  for_each            = var.databases
  identifier          = each.key
  engine              = "postgres"
  publicly_accessible = each.value.public
  storage_encrypted   = each.value.encrypted
}

resource "aws_iam_policy" "ops" {
  name = "ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = concat(["s3:GetObject"], var.extra_actions)
      Resource = "*"
    }]
  })
}
