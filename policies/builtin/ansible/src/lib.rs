//! Built-in pack `ansible`: tasks and plays that weaken the hosts they
//! configure — disabled certificate and host-key checks, world-writable
//! files, plaintext secrets, unverified downloads, shell injection — and
//! the hygiene ansible-lint users expect.
//!
//! Cloud concerns (a module argument with a bad value: a public cluster,
//! encryption off) are rows of `rampart-concerns`, shared with the
//! Terraform and CloudFormation packs.
//!
//! Rules read `ansible-task` resources (`{"module", "args", "task", "play"}`)
//! and `ansible-play` resources (`docs/kinds/ansible.md`). Fixtures live in
//! `fixtures/<RULE-ID>/{positive,negative}.yml` (playbooks).

mod rules;

use rampart_policy::Pack;

const TASKS: &[&str] = &["ansible-task"];
const TASKS_AND_PLAYS: &[&str] = &["ansible-task", "ansible-play"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "ansible",
    version: env!("CARGO_PKG_VERSION"),
    description: "Ansible: certificate and host-key checks, file modes, secrets, downloads, \
                  package sources and versions, shell use, privilege escalation.",
    rules: &[
        rules::ANS_001,
        rules::ANS_002,
        rules::ANS_003,
        rules::ANS_004,
        rules::ANS_005,
        rules::ANS_006,
        rules::ANS_007,
        rules::ANS_008,
        rules::ANS_009,
        rules::ANS_010,
        rules::ANS_011,
        rules::ANS_012,
        rules::ANS_013,
        rules::ANS_014,
        rules::ANS_015,
        rampart_concerns::ansible_rule::<2>(),
        rampart_concerns::ansible_rule::<7>(),
        rampart_concerns::ansible_rule::<8>(),
        rampart_concerns::ansible_rule::<9>(),
        rampart_concerns::ansible_rule::<10>(),
        rampart_concerns::ansible_rule::<11>(),
        rampart_concerns::ansible_rule::<12>(),
        rampart_concerns::ansible_rule::<16>(),
        rampart_concerns::ansible_rule::<17>(),
        rampart_concerns::ansible_rule::<20>(),
        rampart_concerns::ansible_rule::<21>(),
        rampart_concerns::ansible_rule::<22>(),
        rampart_concerns::ansible_rule::<23>(),
        rampart_concerns::ansible_rule::<24>(),
        rampart_concerns::ansible_rule::<26>(),
        rampart_concerns::ansible_rule::<29>(),
        rampart_concerns::ansible_rule::<30>(),
        rampart_concerns::ansible_rule::<31>(),
        rampart_concerns::ansible_rule::<32>(),
        rampart_concerns::ansible_rule::<33>(),
        rampart_concerns::ansible_rule::<34>(),
        rampart_concerns::ansible_rule::<38>(),
        rampart_concerns::ansible_rule::<40>(),
        rampart_concerns::ansible_rule::<41>(),
        rampart_concerns::ansible_rule::<43>(),
        rampart_concerns::ansible_rule::<47>(),
        rampart_concerns::ansible_rule::<51>(),
        rampart_concerns::ansible_rule::<53>(),
        rampart_concerns::ansible_rule::<60>(),
        rampart_concerns::ansible_rule::<68>(),
        rampart_concerns::google_ansible_rule::<0>(),
        rampart_concerns::google_ansible_rule::<2>(),
        rampart_concerns::google_ansible_rule::<3>(),
        rampart_concerns::google_ansible_rule::<4>(),
        rampart_concerns::google_ansible_rule::<5>(),
        rampart_concerns::google_ansible_rule::<6>(),
        rampart_concerns::google_ansible_rule::<8>(),
        rampart_concerns::google_ansible_rule::<11>(),
        rampart_concerns::google_ansible_rule::<15>(),
        rampart_concerns::google_ansible_rule::<17>(),
        rampart_concerns::google_ansible_rule::<19>(),
        rampart_concerns::azure_ansible_rule::<11>(),
        rampart_concerns::ansible_rule::<80>(),
        rampart_concerns::ansible_rule::<81>(),
        rampart_concerns::ansible_rule::<82>(),
        rampart_concerns::ansible_rule::<84>(),
        rampart_concerns::ansible_rule::<86>(),
        rampart_concerns::ansible_rule::<87>(),
        rampart_concerns::ansible_rule::<89>(),
        rampart_concerns::ansible_rule::<90>(),
        rampart_concerns::ansible_rule::<115>(),
        rampart_concerns::ansible_rule::<117>(),
        rampart_concerns::ansible_rule::<145>(),
        rampart_concerns::ansible_rule::<146>(),
        rampart_concerns::ansible_rule::<156>(),
        rampart_concerns::google_ansible_rule::<32>(),
        rampart_concerns::google_ansible_rule::<35>(),
        rampart_concerns::google_ansible_rule::<40>(),
        rampart_concerns::google_ansible_rule::<41>(),
        rampart_concerns::google_ansible_rule::<43>(),
        rampart_concerns::google_ansible_rule::<44>(),
        rampart_concerns::ansible_rule::<201>(),
        rampart_concerns::azure_ansible_rule::<89>(),
    ],
};

rampart_policy::export_pack!(PACK);
