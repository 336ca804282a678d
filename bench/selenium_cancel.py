"""The demo cancel flow written as a Selenium user would: explicit waits, ids and XPath,
Debian's chromedriver. One run, one browser, like jieyue.
    python selenium_cancel.py web|h5|mini BASE_URL USER PASSWORD OUT_DIR [WEBDRIVER_URL]
    python selenium_cancel.py gen BASE_URL PATH_JSON - OUT_DIR
A generated platform (gen) is followed by its path (/__demo/gen/SEED/path): the selectors a
person who read the page's markup would press, in order.
"""
import base64
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Mobile/15E148")


def text_xpath(tag, text):
    return f"//{tag}[normalize-space()='{text}']"


def web(d, w, base, user, pw):
    d.get(base + "/login")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(pw)
    d.find_element(By.XPATH, text_xpath("button", "登录")).click()
    w.until(EC.presence_of_element_located((By.LINK_TEXT, "退出登录")))
    d.find_element(By.ID, "nav-member").click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//aside/a[normalize-space()='当前会员']"))).click()
    w.until(EC.element_to_be_clickable((By.LINK_TEXT, "服务详情"))).click()
    w.until(EC.element_to_be_clickable((By.ID, "cancel-renew"))).click()
    w.until(EC.visibility_of_element_located((By.ID, "confirm-password"))).send_keys(pw)
    d.find_element(By.ID, "ack").click()
    d.find_element(By.XPATH, "//div[@id='cancel-dialog']" + text_xpath("button", "确定")).click()
    w.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "已关闭自动续费"))


def h5(d, w, base, user, pw):
    d.get(base + "/h5/login")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(pw)
    d.find_element(By.XPATH, text_xpath("button", "登录")).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//nav[@class='tabbar']/a[contains(., '我的')]"))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//a[contains(., '设置')]"))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//a[contains(., '支付设置')]"))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//a[contains(., '自动续费管理')]"))).click()
    host = w.until(EC.presence_of_element_located((By.CSS_SELECTOR, "jy-switch")))
    host.shadow_root.find_element(By.CSS_SELECTOR, "[role=switch]").click()
    w.until(EC.element_to_be_clickable((By.XPATH, text_xpath("a", "残忍离开")))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, text_xpath("button", "确认关闭")))).click()
    w.until(EC.text_to_be_present_in_element((By.ID, "renew-state"), "自动续费：已关闭"))


def mini(d, w, base, user, pw):
    d.get(base + "/mini/login")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(pw)
    d.find_element(By.XPATH, text_xpath("button", "授权并登录")).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//a[contains(., '管理会员')]"))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//a[contains(., '续费设置')]"))).click()
    w.until(EC.frame_to_be_available_and_switch_to_it((By.TAG_NAME, "iframe")))
    w.until(EC.element_to_be_clickable((By.ID, "renew-switch"))).click()
    w.until(EC.element_to_be_clickable((By.XPATH, "//div[@id='ask']" + text_xpath("button", "确定")))).click()
    w.until(EC.text_to_be_present_in_element((By.ID, "renew-state"), "续费开关已关闭"))
    d.switch_to.default_content()


def gen(d, w, base, path_json, _pw):
    path = json.loads(path_json)
    d.get(base + path["start"])
    for move in path["moves"]:
        w.until(lambda d, css=move["click"]: press_visible(d, css))
    if path["accept_native"]:
        w.until(EC.alert_is_present()).accept()
    w.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), path["success"]))


def press_visible(d, css):
    """Clicks the first visible, enabled match; False (try again) while there is none or a
    layer still covers it."""
    for el in d.find_elements(By.CSS_SELECTOR, css):
        if el.is_displayed() and el.is_enabled():
            try:
                el.click()
                return True
            except WebDriverException:
                return False
    return False


def main():
    kind, base, user, pw, out = sys.argv[1:6]
    carrier = json.loads(user)["carrier"] if kind == "gen" else kind
    remote = sys.argv[6] if len(sys.argv) > 6 else None
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--no-first-run"]:
        opts.add_argument(a)
    if carrier == "web":
        opts.add_argument("--window-size=1366,768")
    else:
        ua = PHONE_UA + (" MicroMessenger/8.0.47 miniProgram" if carrier == "mini" else "")
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": True, "mobile": True},
            "userAgent": ua})
    if remote:
        d = webdriver.Remote(command_executor=remote, options=opts)
    else:
        d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        {"web": web, "h5": h5, "mini": mini, "gen": gen}[kind](d, WebDriverWait(d, 10, poll_frequency=0.05), base, user, pw)
        shot = d.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True}) if not remote \
            else {"data": d.get_screenshot_as_base64()}
        with open(f"{out}/proof.png", "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    finally:
        d.quit()


if __name__ == "__main__":
    main()
