from school.members import registry


def test_exporters_and_anonymisers_are_called_with_the_user(monkeypatch):
    monkeypatch.setattr(registry, "_exporters", {})
    monkeypatch.setattr(registry, "_anonymisers", [])
    seen = []
    registry.register_data_exporter("things", lambda user: [user])
    registry.register_anonymiser(seen.append)

    assert registry.export_user_data("u") == {"things": ["u"]}
    registry.anonymise_user_data("u")
    assert seen == ["u"]


def test_a_name_cannot_be_taken_twice(monkeypatch):
    monkeypatch.setattr(registry, "_exporters", {})
    registry.register_data_exporter("things", list)
    registry.register_data_exporter("things", list)  # same function: harmless
    try:
        registry.register_data_exporter("things", dict)
    except ValueError:
        pass
    else:
        raise AssertionError("expected ValueError")
