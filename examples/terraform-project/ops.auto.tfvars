extra_actions = ["*"]
