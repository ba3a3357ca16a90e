"""The chat page and the staff page in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Browser, Page, expect

from eligibility import evaluate, load_rulebook, parse_profile, yuan_range
from tests.e2e.conftest import Servers, free_port

AS_OF = date(2024, 6, 1)  # the servers run with INCENTIVES_AS_OF=2024-06-01
TIMEOUT_MS = 60_000


def say(page: Page, text: str) -> None:
    """Type a message, send it with Enter, and wait until the bot has answered it."""
    answered = page.locator(".msg.bot:not(.typing), .msg.error").count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    expect(page.locator(".msg.bot:not(.typing), .msg.error")).not_to_have_count(answered, timeout=TIMEOUT_MS)
    expect(page.locator(".msg.typing")).to_have_count(0, timeout=TIMEOUT_MS)


def test_eligibility_answer_shows_amounts_citations_and_status(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site)
    greeting = page.locator(".msg.bot").first
    expect(greeting).to_contain_text("知识产权惠企政策助手", timeout=TIMEOUT_MS)
    expect(greeting.locator(".buttons button")).to_have_count(2)

    say(page, "我们在泽州县，今年授权了3件发明专利，还有2件美国专利")  # answered in this very turn

    evaluation = evaluate(
        parse_profile({"region": "泽州县", "invention_patents_granted": 3, "foreign_patents": {"US": 2}}),
        load_rulebook(), as_of=AS_OF,
    )  # fmt: skip
    card = page.locator(".awards-card").last
    expect(card).to_be_visible()
    expect(card.locator(".recorded")).to_have_text(
        "已记录：山西省晋城市泽州县；本年度国内授权发明专利 3 件；获得境外专利权：美国 2 件"
    )
    rows = card.locator("tr.award")
    expect(rows).to_have_count(len(evaluation.awards))
    for award in evaluation.awards:
        row = card.locator(f'tr[data-award="{award.award_id}"]')
        expect(row.locator("td.amount")).to_have_text(yuan_range(award.amount_min, award.amount_max))
        expect(row.locator("summary")).to_contain_text("泽政办发〔2021〕16号")
        expect(row.locator(".departments")).to_contain_text("负责部门：泽州县市场监督管理局（牵头）")
        expect(row.locator("blockquote.quote")).to_be_hidden()  # the clause opens on demand
        row.locator("summary").click()
        expect(row.locator("blockquote.quote")).to_have_text(f"“{award.citation.quote}”")
    expect(card.locator(".total")).to_contain_text(
        f"合计（已明确金额部分）：{yuan_range(evaluation.total_min, evaluation.total_max)}"
    )
    expect(card.locator(".badge")).to_have_text("执行中")  # in force on 2024-06-01

    # Under the answer: the calculation, then at most three facts that could add money in 泽州县.
    answer = page.locator(".msg.bot", has=page.locator(".awards-card")).last
    buttons = answer.locator(".buttons button")
    expect(buttons.first).to_have_text("查看计算过程")
    titles = buttons.all_inner_texts()
    assert 2 <= len(titles) <= 4 and all(t.startswith("补充：") for t in titles[1:]), titles

    # The follow-up button asks for the calculation (the other follow-ups stay usable); a reload
    # keeps the conversation.
    answer.locator("button", has_text="查看计算过程").click()
    expect(page.locator(".msg.bot").last).to_contain_text("✓", timeout=TIMEOUT_MS)
    expect(answer.locator("button", has_text="查看计算过程")).to_be_disabled()
    expect(answer.locator("button", has_text=titles[1])).to_be_enabled()
    shown = page.locator(".msg").count()
    page.reload()
    expect(page.locator(".awards-card")).to_have_count(1)
    assert page.locator(".msg").count() == shown
    say(page, "为什么")  # same conversation: Rasa still has the facts
    expect(page.locator(".msg.bot").last).to_contain_text("境外专利权资助")

    # A prompt, sent from the (redrawn) answer, asks its question; a bare answer fills it.
    page.locator(".msg.bot", has=page.locator(".awards-card")).locator("button", has_text=titles[1]).click()
    expect(page.locator(".msg.user").last).to_have_text(titles[1])
    expect(page.locator(".msg.bot").last).to_contain_text("请", timeout=TIMEOUT_MS)
    page.close()


def test_correction_and_lower_bound_on_the_page(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site)
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=TIMEOUT_MS)
    say(page, "我们在长治市潞州区，成功注册了2件地理标志商标")
    card = page.locator(".awards-card").last
    expect(card.locator(".status-heading")).to_contain_text("征求意见稿")  # the draft, said before the amounts
    expect(card.locator(".total")).to_contain_text("至少 60,000 元")
    say(page, "不对，是3件")
    expect(page.locator(".awards-card").last.locator(".total")).to_contain_text("至少 90,000 元")
    page.close()


def test_policy_question_and_status_badges(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site)
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=TIMEOUT_MS)
    say(page, "长治市专利质押贷款有贴息吗？")
    passages = page.locator(".passages-card").last
    expect(passages).to_contain_text("长治市", timeout=TIMEOUT_MS)
    expect(passages.locator(".answer")).to_contain_text("——《")  # one direct sentence with its source first
    page.close()


def test_a_row_of_answers_is_spent_after_one_click(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site)
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=TIMEOUT_MS)
    say(page, "我能申请哪些奖励")
    choices = page.locator(".msg.bot", has_text="请问贵单位注册在哪个").locator(".buttons button")
    expect(choices).to_have_count(5)  # the covered regions
    choices.filter(has_text="桓台县").click()
    expect(page.locator(".msg.user").last).to_have_text("桓台县")
    for i in range(5):
        expect(choices.nth(i)).to_be_disabled()  # one answer per question
    expect(page.locator(".msg.bot").last).not_to_contain_text("请问贵单位注册在哪个", timeout=TIMEOUT_MS)
    page.close()


def test_phone_sized_screen_has_no_horizontal_scroll(browser: Browser, site: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(site)
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=TIMEOUT_MS)
    say(page, "我们在长治市潞州区，今年授权了5件发明专利，就这些，帮我算一下")
    expect(page.locator(".msg.bot").last).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    composer = page.locator("#composer").bounding_box()
    assert composer is not None and composer["y"] + composer["height"] <= 740
    page.close()


def test_server_down_is_a_message_with_retry(browser: Browser, servers: Servers) -> None:
    dead_rasa = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    site = servers.start_web(dead_rasa, name="web-no-rasa", port=free_port())
    page = browser.new_page()
    page.goto(site)
    error = page.locator(".msg.error")
    expect(error).to_contain_text("对话服务暂时无法连接", timeout=TIMEOUT_MS)
    expect(error.locator("button.retry")).to_be_visible()
    page.fill("#input", "你好")
    page.press("#input", "Enter")
    expect(error).to_have_count(2, timeout=TIMEOUT_MS)  # the page stays usable and says so again
    page.close()
    servers.stop("web-no-rasa")


def test_staff_page_searches_clauses_and_lists_policies(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(f"{site}/staff")
    rows = page.locator("#policies tbody tr")
    expect(rows).to_have_count(len(load_rulebook().knowledge.policies), timeout=TIMEOUT_MS)
    expect(page.locator('#policies tr[data-policy="changzhi-2023-draft"] .badge')).to_contain_text("征求意见稿")
    page.select_option("#region", "泽州县")
    page.fill("#q", "发明专利授权奖励多少钱")
    page.click("#search button[type=submit]")
    hits = page.locator("#results .hit")
    expect(hits.first).to_contain_text("泽政办发〔2021〕16号", timeout=TIMEOUT_MS)
    expect(hits.first.locator("blockquote")).to_contain_text("发明专利")
    page.fill("#q", " ")
    page.click("#search button[type=submit]")
    expect(page.locator("#results .error")).to_have_text("问题不能为空")
    page.close()


def test_the_conversation_id_is_the_servers_cookie_and_new_chat_starts_afresh(browser: Browser, site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site)
    expect(page.locator(".msg.bot").first).to_be_visible(timeout=TIMEOUT_MS)
    say(page, "我们在泽州县，今年授权了3件发明专利")
    cookies = {c["name"]: c for c in context.cookies()}
    cookie = cookies["incentives_sid"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "incentives_sid" not in page.evaluate("document.cookie")  # the page's script never sees it
    assert page.evaluate("localStorage.getItem('incentives.sender')") is None  # no client-chosen id
    page.reload()  # a reload continues the same conversation
    say(page, "就这些，帮我算一下")
    expect(page.locator(".awards-card").last).to_contain_text("泽政办发〔2021〕16号", timeout=TIMEOUT_MS)
    page.click("#new-chat")
    expect(page.locator(".msg.bot").first).to_contain_text("知识产权惠企政策助手", timeout=TIMEOUT_MS)
    expect(page.locator(".msg.user")).to_have_count(0)
    assert {c["name"]: c for c in context.cookies()}["incentives_sid"]["value"] != cookie["value"]
    say(page, "就这些，帮我算一下")  # the new conversation knows nothing yet: it asks for the region
    expect(page.locator(".msg.bot").last).to_contain_text("县（市、区）", timeout=TIMEOUT_MS)
    context.close()
