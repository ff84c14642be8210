import pytest

from community.accounts import passwords, pseudonyms, services
from community.accounts.models import Role
from community.core.errors import DomainError
from tests.conftest import PASSWORD


def test_proposed_pseudonyms_come_from_the_curated_lists(app):
    for _ in range(50):
        name = services.propose_pseudonym()
        assert pseudonyms.is_well_formed(name)


def test_register_stores_hashes_never_the_secrets(app):
    account = services.register(services.Registration("CalmOtter21", "13-15", PASSWORD))
    user = account.user
    assert user.role is Role.YOUTH
    assert user.age_band.value == "13-15"
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("$argon2id$")
    assert account.recovery_code not in (user.recovery_code_hash or "")
    assert passwords.verify_secret(user.recovery_code_hash, account.recovery_code)


@pytest.mark.parametrize(
    "name",
    ["John Smith", "calmotter21", "CalmOtter", "CalmOtter9", "CalmDragon21", "Calm Otter 21", ""],
)
def test_free_text_pseudonyms_are_refused(app, name):
    with pytest.raises(DomainError) as caught:
        services.register(services.Registration(name, "16-17", PASSWORD))
    assert caught.value.field == "pseudonym"


def test_taken_pseudonym_is_refused(app, youth):
    with pytest.raises(DomainError, match="not free"):
        services.register(services.Registration(youth.pseudonym, "16-17", PASSWORD))


def test_under_13_is_turned_away(app):
    with pytest.raises(services.UnderAge):
        services.register(services.Registration("CalmOtter21", services.UNDER_13, PASSWORD))


@pytest.mark.parametrize(
    "password", ["short", "password123", "qwertyuiop", "Iloveyou1", "x" * 257, "CalmOtter21!!"]
)
def test_weak_passwords_are_refused(app, password):
    with pytest.raises(DomainError) as caught:
        services.register(services.Registration("CalmOtter21", "16-17", password))
    assert caught.value.field == "password"


def test_authenticate_says_the_same_for_unknown_user_and_wrong_password(app, youth):
    with pytest.raises(services.InvalidCredentials) as unknown:
        services.authenticate("NobodyHere10", PASSWORD)
    with pytest.raises(services.InvalidCredentials) as wrong:
        services.authenticate(youth.pseudonym, "not the password")
    assert str(unknown.value) == str(wrong.value)
    assert services.authenticate(youth.pseudonym, PASSWORD).id == youth.id


def test_recovery_code_resets_password_once(app):
    account = services.register(services.Registration("CalmOtter21", "16-17", PASSWORD))
    code = account.recovery_code
    messy = code.lower().replace("-", " ")
    renewed = services.reset_password("CalmOtter21", messy, "a brand new secret")
    assert services.authenticate("CalmOtter21", "a brand new secret")
    assert renewed.recovery_code != code
    with pytest.raises(DomainError):  # the old code is used up
        services.reset_password("CalmOtter21", code, "yet another secret")


def test_password_reset_logs_out_other_sessions(app):
    account = services.register(services.Registration("CalmOtter21", "16-17", PASSWORD))
    old_session = account.user.get_id()
    services.reset_password("CalmOtter21", account.recovery_code, "a brand new secret")
    assert services.load_session_user(old_session) is None
    assert services.load_session_user(account.user.get_id()) == account.user


def test_staff_need_a_staff_role(app):
    with pytest.raises(DomainError):
        services.create_staff("Someone", Role.YOUTH, PASSWORD)
    mod = services.create_staff("Moderator Mo", Role.MODERATOR, PASSWORD)
    assert mod.can_moderate and not mod.is_ranked
