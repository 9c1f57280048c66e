"""netlib.datasets._customer: the interaction logs as validated CustomerData."""

from __future__ import annotations

import pandas as pd
import pytest

from netlib.datasets import load_customer_data
from netlib.errors import ParameterError


def test_customer_data_wrappers(datasets_dir):
    cm = load_customer_data("collegemsg", data_home=datasets_dir)
    assert (len(cm.customers), len(cm.interactions)) == (1899, 59835) and cm.report.rows_rejected == 0
    assert cm.interactions["source"].dtype == "str" and set(cm.interactions["kind"]) == {"message"}
    bt = load_customer_data("bitcoin-alpha", data_home=datasets_dir)
    assert len(bt.interactions) == 24186 and (bt.interactions["rating"] > 0).sum() == 22650
    assert (bt.interactions["weight"] == 1.0).all()
    em = load_customer_data("email-eu-core", snapshot="2005-01-01", data_home=datasets_dir)
    assert len(em.customers) == 1005 and em.customers["department"].nunique() == 42
    assert (em.interactions["timestamp"] == pd.Timestamp("2005-01-01", tz="UTC")).all()
    ciao = load_customer_data("ciaodvd", snapshot="2013-12-31", data_home=datasets_dir)
    assert (len(ciao.customers), len(ciao.interactions), len(ciao.events)) == (19533, 40133, 72665)
    assert set(ciao.events["event_type"]) == {"review"} and ciao.events["customer_id"].dtype == "str"
    with pytest.raises(ParameterError, match="filmtrust: neither trust statements nor ratings carry times.*snapshot="):
        load_customer_data("filmtrust", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="2013-12-31"):
        load_customer_data("ciaodvd", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="collegemsg: every interaction has its own time"):
        load_customer_data("collegemsg", snapshot="2004-01-01", data_home=datasets_dir)
    ft = load_customer_data("filmtrust", snapshot=pd.Timestamp("2011-06-30 12:00", tz="Europe/London"),
                            data_home=datasets_dir)
    assert ft.events["timestamp"].iloc[0] == pd.Timestamp("2011-06-30 11:00", tz="UTC")
    assert (len(ft.interactions), len(ft.events)) == (1806, 35497)
