"""The settings for running several instances: the lease and each instance's share of the
tenant's rate; and the DATA_DIR lock (in-process; tests/test_instances.py runs real processes)."""

from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import WORKER, create_app
from bot.config import Config
from bot.delivery.throttle import Limit
from bot.instance_lock import DataDirInUse, lock_data_dir


def test_lease_and_tenant_rate_defaults_and_values():
    config = Config.from_env({})
    assert config.delivery_lease_seconds == 300 and config.delivery_tenant_rate == 50
    config = Config.from_env({"DELIVERY_LEASE_SECONDS": "2.5", "DELIVERY_TENANT_RATE": "16"})
    assert config.delivery_lease_seconds == 2.5 and config.delivery_tenant_rate == 16


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DELIVERY_LEASE_SECONDS", "0", "greater than 0"),
        ("DELIVERY_LEASE_SECONDS", "fem", "must be a number"),
        ("DELIVERY_TENANT_RATE", "0", "at least 1"),
        ("DELIVERY_TENANT_RATE", "16.7", "whole number"),
    ],
)
def test_bad_values_are_refused_with_the_setting_named(name, value, message):
    with pytest.raises(ValueError, match=message) as error:
        Config.from_env({name: value})
    assert name in str(error.value)


async def test_the_worker_gets_the_lease_and_the_tenant_rate(tmp_path, shipped_handbook, caplog):
    config = Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "DELIVERY_TICK_SECONDS": "60",
            "DELIVERY_LEASE_SECONDS": "20",
            "DELIVERY_TENANT_RATE": "16",
        }
    )
    app = create_app(config, handbook=shipped_handbook)
    async with TestClient(TestServer(app)):
        worker = app[WORKER]
        assert worker.settings.lease == timedelta(seconds=20)
        assert worker.throttle.tenant_limits == (Limit(16, 1.0),)
    assert "not above the send timeout" in caplog.text  # 20 s < the sender's 30 s


def test_one_holder_per_data_dir_and_the_lock_goes_with_it(tmp_path):
    with lock_data_dir(tmp_path / "data") as path:
        assert path.read_text().strip().isdigit()  # the holder's pid, for the message
        with pytest.raises(DataDirInUse, match="in use by another instance"):
            with lock_data_dir(tmp_path / "data"):
                pass
    with lock_data_dir(tmp_path / "data"):
        pass
