"""Writes the NLU training data and the held-out test split (run: python bot/data/generate_nlu.py).

Small-talk intents are listed by hand below. Fact-bearing intents (inform, ask_eligible_awards,
correct_fact) combine hand-written phrasings with real values (regions, counts, countries,
levels) so entities are annotated consistently; policy questions come from the retrieval
evaluation set plus extra phrasings. A fixed seed keeps the files reproducible; about 20 %
of every intent (chosen by a hash of the text) goes to tests/bot/test_nlu.yml and is never trained on.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "bot" / "data" / "nlu"
TEST_FILE = ROOT / "tests" / "bot" / "test_nlu.yml"
rng = random.Random(20261122)

HAND = {
    "greet": """你好 您好 你好呀 hi hello 早上好 下午好 晚上好 在吗 在不在 有人吗 你好，请问在吗 嗨 哈喽 您好，我想咨询一下
        你好，打扰一下 老师好 您好，我是企业的 早 喂 你好啊 你好，我想问点事 您好，请问可以咨询吗 hello，在吗 hi，你好
        您好！ 你好，小助手 嗨，你好 在么 请问有人在吗 您好，麻烦问一下 你好，我有个问题 您好，想咨询知识产权政策
        你好，我是知识产权专员 领导好 您好，我们公司想了解一下 你好，能帮我个忙吗 早上好呀 下午好，请问 您好，打扰了
        哈喽，在吗 你好呀，小助手 喂，你好 您好您好 你们好 大家好""",
    "goodbye": """再见 拜拜 好的，再见 bye 下次再聊 先这样吧 谢谢，再见 回头见 我先走了 没事了，再见 88 就到这里吧 好的，拜拜
        那我先下线了 今天就问这些，再见 结束 退出 不聊了 好，回见 感谢，拜拜 我知道了，再见 辛苦了，再见 晚安 那就这样，再见
        先不问了 改天再问 下次见 byebye 好嘞，再见 我去准备材料了，再见 关闭对话 先这样，谢谢您 行，拜拜 就这样吧，拜""",
    "thank": """谢谢 谢谢你 多谢 非常感谢 感谢 太感谢了 谢啦 辛苦了 好的谢谢 明白了，谢谢 thanks 谢谢您的解答 感谢帮助
        万分感谢 谢谢，很有帮助 知道了，多谢 好的，感谢 谢谢老师 真是帮大忙了 谢了 感谢解答 谢谢啊 谢谢小助手 太好了，谢谢
        了解了，谢谢 收到，谢谢 谢谢，清楚了 非常有用，谢谢 好，感谢 感恩""",
    "affirm": """是 是的 对 对的 没错 嗯 嗯嗯 好的 好 可以 行 是这样 正确 确实 当然 对啊 是啊 没问题 好啊 要的 需要 ok yes
        对，没错 嗯，是的 好呀 可以的 行啊 那好 就是这样 是滴 对头 肯定 算是吧 有的 对对 嗯对""",
    "deny": """不 不是 没有 否 不对 不用 不要 不需要 没 无 没有的 不是的 算了 不行 no 都没有 一个都没有 还没有 暂时没有
        没有呢 不是啊 并没有 从来没有 没拿到 没评上 还没评上 不用了 不需要了 没申请过 没有过 目前没有 也没有""",
    "ask_help": """你能做什么 你会什么 怎么用 使用说明 帮助 help 你有什么功能 我该怎么问 能帮我干嘛 你能回答什么问题 有什么用
        怎么使用这个助手 可以问哪些问题 你都知道哪些政策 支持哪些地区 收录了哪些地方的政策 怎么查奖励 你是做什么的
        功能介绍 教我怎么用 菜单 我不知道问什么 有哪些服务 你能帮企业做什么 能查哪些县 覆盖哪些区县 需要提供什么信息
        查奖励要准备什么 怎么开始 从哪开始 你能算钱吗 你会算奖励吗""",
    "bot_challenge": """你是机器人吗 你是人还是机器 你是真人吗 是人工客服吗 你是AI吗 我在跟机器人说话吗 你是不是机器人
        你是人工智能吗 有没有真人 转人工 我要人工客服 你是谁 你叫什么名字 是程序在回答吗 你是chatgpt吗 你是自动回复吗
        能找个真人吗 人工服务 你是真人客服吗 你是聊天机器人吧 你有人工吗 我想找工作人员""",
    "out_of_scope": """今天天气怎么样 帮我订个机票 讲个笑话 你喜欢吃什么 股票怎么买 房价会涨吗 怎么注册公司 社保怎么交 个税怎么算
        推荐一部电影 帮我写个作文 今天星期几 附近有什么好吃的 怎么减肥 你多大了 唱首歌 世界杯谁赢了 比特币能买吗
        怎么办理营业执照 增值税税率是多少 帮我翻译一句英文 高铁票怎么退 孩子上学怎么报名 医保报销比例 公积金怎么提取
        汽车限号吗 帮我算个数学题 天气预报 你会下棋吗 怎么做红烧肉 明天会下雨吗 帮我查快递 最近有什么新闻 怎么学英语
        驾照怎么考 北京到上海多远 你喜欢什么颜色 离婚怎么办手续 工资什么时候发 加班费怎么算""",
    "dont_know": """不清楚 不知道 不太清楚 不确定 我不知道 这个不清楚 跳过 先跳过 记不清了 忘了 说不准 得问问同事 要查一下
        这个我不太了解 不记得了 暂时不清楚 不好说 跳过这个 下一个 这个先不填 不太确定 没统计过 需要核实一下 我回头问问
        这个问题跳过 不清楚，下一个吧 说不好 不知道呢 我也不知道 搞不清楚""",
    "done": """没有了 就这些 就这些，帮我算一下 没了 算一下吧 帮我算算 就这么多 其他没有了 可以了，算吧 好了，计算吧 直接算
        先按这些算 信息就这些 其他都没有 结束提问，给我结果 够了，出结果吧 就这样，算一下 没有其他的了 直接告诉我结果
        不用问了，直接算 先算这些 别问了，算吧 差不多了，帮我算 现在能算了吗 给我看看结果 就按现在的算 算一下能拿多少
        好了，看看能拿多少钱 其余的都没有 这些就够了""",
    "ask_explanation": """为什么 怎么算的 这个是怎么算出来的 依据是什么 能解释一下吗 为什么是这个数 计算过程 详细说说
        怎么得出的 为什么没有那项奖励 具体怎么计算 给我看看计算过程 解释一下 为啥 为什么这么多 为什么这么少 凭什么
        怎么算出来的金额 这个金额怎么来的 说说理由 为什么我不符合 哪条规定的 讲讲计算依据 展开说说 为什么要扣 计算明细""",
}

MORE = {
    "greet": "大家好 领导好 老师您好 工作人员你好 你好，请问一下 您好，我这边是企业 哈喽哈喽 嗨喽 你好呀～ 您好呀 早安 午安 晚上好呀 早上好，打扰了\n    您好，想问问 你好，问个问题 hello你好 hi，有人在吗 在线吗 在吗，问一下 您好，请教一下 你好，请教个事 您好，我是公司财务 您好，我们是一家科技企业\n    你好，我想了解政策 您好，第一次用 你好，麻烦了 您好啊 你好你好 嗨，小助手你好 你好，能聊聊吗 请问在线吗 您好，市场监管局吗 您好，知识产权科吗 您好，市场监管局吗 你好，是知识产权局吗 您好，这里是政策咨询吗 你好，请问是惠企政策助手吗",
    "goodbye": "晚安 改天再问 明天再来 以后再说 我先撤了 好的，就这样 下线了 回聊 拜拜啦 再会 告辞 先这样，改天聊 我要去开会了，再见 好，我知道了，拜拜\n    今天先到这 那我走了 关掉了 不问了，谢谢 问完了，再见 好嘞，回头见 ok，再见 明白了，再见了 有需要再找你 下次有问题再来 我去忙了 就先这样吧 撤了 以后再说 回头再聊 有空再问 就先这样了 下回见 后会有期",
    "thank": "谢谢，明白了 好的，谢谢啦 谢谢帮忙 多谢多谢 谢谢你们 感谢你的耐心 辛苦啦 感谢感谢 谢谢，很清楚 非常感谢你的帮助 谢谢，解决了我的问题 真棒，谢谢\n    好的，收到，谢谢 太有用了 谢谢提醒 谢谢指导 谢谢解答 多谢指点 谢谢，受教了 谢谢您嘞 谢谢老师 谢谢领导 感谢老师 谢谢工作人员 好的谢谢老师 感谢您",
    "affirm": "那好 需要 是呀 没错，是的 嗯，对 好滴 行的 确认 确定 对的对的 正是 是这样的 嗯是 可以呀 行吧 当然是 就是 没问题的 好的呀 是是是 对对对 同意 认可 属实 yes的 确实是 有 有啊 有的呢 确定 是的确定 确认无误 没错的 就是这样的 对，是这样",
    "deny": "没拿到 没有呀 没有哦 不是呢 并不是 否的 不对哦 不需要的 没有的事 没这回事 一个也没有 一件都没有 没有这个 暂时还没有 今年没有 没获得 没有获得 没申请 不涉及 不适用 无此情况 没有此项 这项没有 都不是 不属于 我们不是 没拿到 没评上过 还没通过 没有获得过 未获得 未通过 没申请下来",
    "ask_help": "帮助 你能算钱吗 收录了哪些地方的政策 使用帮助 怎么操作 有什么功能 你能干什么 你有哪些本事 能帮我做什么 我能问你什么 告诉我怎么用 不会用\n    能查哪些地区 支持哪些县区 你知道哪些地方的政策 能查我们县吗 能算补贴吗 你是干啥的 介绍一下你自己的功能 有没有使用指南 怎么问你比较好 举个例子\n    能给个示例吗 我该提供哪些材料 需要我提供什么 要准备哪些数据 你会算哪些奖励 除了算钱还能干嘛 查询方式 怎么查政策 你是干啥的 你能做啥 你会干嘛 能介绍下自己吗 有什么可以帮我的 这个助手怎么玩 能查什么 能做哪些事 咋用 怎么提问 不会问怎么办 给我点提示 提示一下 我该说什么 有使用说明吗 有操作指南吗",
    "bot_challenge": "你是不是真人 是人在回复吗 你是程序吗 机器人在回复吗 你是ai助手吧 你是智能客服吗 是不是自动回复 你不是人吧 真人在吗 能转人工吗\n    我要找真人 人工客服在哪 是人工还是智能 你是小冰吗 你是不是机器 你有意识吗 对面是谁 谁在回复我 你不是人吧 你叫什么名字 你叫啥 你是哪个公司做的 你是人类吗 真的是机器人吗 你是谁开发的",
    "out_of_scope": "天气预报 怎么做红烧肉 唱首歌 帮我查快递 最近有什么新闻 社保怎么交 个人所得税怎么申报 营业执照年报怎么做 怎么开发票 企业所得税税率\n    明天几度 哪里有好吃的火锅 推荐个旅游景点 帮我写首诗 给我讲个故事 你觉得我帅吗 今天几号 现在几点了 帮我订酒店 怎么炒股 基金怎么买 黄金价格\n    足球比赛结果 NBA比分 怎么修电脑 手机没信号怎么办 wifi密码多少 怎么养猫 狗狗生病了怎么办 感冒吃什么药 怎么考公务员 研究生怎么报名\n    结婚证怎么办 护照怎么办理 身份证丢了怎么办 违章怎么查 车险怎么买 房贷利率多少 装修公司推荐 二手车怎么卖 怎么学编程 python怎么学\n    外卖怎么点 电费怎么交 水费多少钱 燃气怎么开通 宽带怎么办理 户口怎么迁 居住证怎么办 幼儿园怎么报名 高考分数线 彩票号码 你会下棋吗 帮我查快递 最近有什么新闻 帮我写个作文 明天会下雨吗 给我推荐本书 今晚吃什么 帮我规划旅游路线 讲讲历史故事 怎么追女朋友 人生的意义是什么 你会画画吗 帮我起个名字 帮我做个ppt 打车软件哪个好 怎么去火车站 机场大巴几点 股市今天涨了吗 美元汇率多少 油价涨了吗 帮我找工作 简历怎么写 面试技巧 怎么谈加薪 新能源车补贴 家电以旧换新补贴 购房补贴怎么领 失业金怎么领 养老金多少 农业补贴怎么申请 创业贷款怎么办",
    "dont_know": "忘了 下一个 要查一下 我回头问问 不清楚这个 这个不知道 没印象 不太记得 得翻翻资料 需要查资料 我得问下财务 问问技术部门 这个跳过吧\n    暂时答不上来 不清楚呢 不晓得 不了解 不太懂 没数 心里没数 拿不准 这个没法确定 稍后补充 以后再说这个 先下一个问题 换下一个 过 pass 略过 没数 问问技术部门 稍后补充 等我问一下 我确认一下再说 数字记不准 具体数字不知道 不太清楚具体数量 我这边没有数据 我得查查 回头补充 这个我答不了 无法回答 不方便说",
    "done": "其余的都没有 没了 好了，看看能拿多少钱 就这样吧，出结果 没有别的了 够了 别的都没有了 可以算了 开始计算 算吧 出结果 帮我出结果 结果是多少\n    其他情况都没有 没有更多了 到此为止，算一下 就这点情况 只有这些 全部说完了 说完了 我说完了 完毕 以上就是全部 差不多就这些 其他的不用问了\n    不想回答了，直接算 剩下的都没有，算吧 先给我算个大概 没了 算一下能拿多少 其他没了 就这么多了 只有这些了 没别的了 这些就是全部 直接出结果吧 帮我汇总一下 汇总 统计一下能拿多少",
    "ask_explanation": "这个金额怎么来的 钱是怎么算的 算法是什么 为什么给这么多 依据哪条 出处在哪 哪个文件规定的 计算依据 为啥不符合 为什么没算这项",
}
# Phrasings added after the first held-out evaluation (weak small-talk intents).
for _name, _text in MORE.items():
    HAND[_name] = HAND[_name] + " " + _text
# Phrasings added in the second round: how enterprise staff actually open, agree, hesitate and
# stop in a government-service chat.
ROUND2 = {
    "greet": "您好，打扰一下 你好，咨询个事情 老师好，想请教 您好，我们公司想了解下补贴 你好，我是企业的知识产权专员 您好，请问这里能咨询吗\n"
    "    哈喽，小助手 你好，我来问问政策 早，想咨询一下 下午好，打扰了 您好，有个问题想问 你好，在线吗 您好您好 嗨，你好 你好啊小助手 您好，初次咨询\n"
    "    你好，能帮个忙吗 您好，我想问点事 喂，你好 你好，可以咨询吗 您好，我是科技公司的 你好，我们是制造企业 您好，想了解知识产权扶持",
    "affirm": "对头 嗯呢 是哒 好嘞 行呀 可以的 没毛病 正确的 就这样 嗯，可以 好，就这样 是，没错 对，就是这个 可以，继续 好的，继续 行，继续吧\n"
    "    对，你说得对 嗯嗯对的 好的好的 那就这样 是的呢 有的 有 是有的 要 想要 要的，谢谢 当然需要 需要的 肯定要 对，需要 行，就按这个",
    "ask_help": "你都能帮我查什么 这个工具怎么用 我应该怎么跟你说 有什么功能介绍 你可以帮我做哪些事 请介绍一下用法 不知道怎么开始\n"
    "    第一次用，怎么弄 怎么开始 你能回答哪些问题 你支持什么问题 我能咨询什么内容 能给点使用建议吗 怎么问才能算出奖励 要输入什么\n"
    "    你能提供什么服务 你的功能有哪些 都能查什么政策 这个系统是干什么的 可以帮忙做什么 请问怎么使用 有没有帮助文档 操作说明在哪",
    "dont_know": "这个我说不好 具体不太清楚 我也不确定 暂时不清楚 这个要问领导 我得核实一下 需要核对一下 回头查了再告诉你 不记得具体数了\n"
    "    这个没统计过 没统计 不太好说 这个不好确定 数量说不清 具体多少不清楚 不清楚有没有 不知道有没有 我不太了解这块 这块我不负责\n"
    "    要问一下同事 得问管专利的同事 我去查一下 先不填 这个先空着 这项跳过 跳过这个 这个先不答 不好回答 说不上来",
    "out_of_scope": "帮我写份合同 劳动合同怎么签 员工社保断缴怎么办 公积金怎么提取 怎么办理出口退税 增值税怎么申报 企业年报截止时间 商业计划书怎么写\n"
    "    今天星期几 中午吃什么好 推荐部电影 周末去哪玩 怎么减肥 如何提高睡眠质量 英语怎么学 孩子不爱学习怎么办 哪款手机好 电脑卡了怎么办\n"
    "    帮我算下房贷 汽车贷款利率 信用卡怎么办 怎么理财 比特币还能买吗 帮我翻译这段话 讲个冷笑话 你喜欢什么颜色 你多大了 你结婚了吗\n"
    "    医保怎么报销 驾照怎么换 护照过期了怎么办 装宽带找谁 物业费太贵怎么办 小区停车难怎么办 怎么投诉快递 外卖超时怎么办",
    "done": "没其他的了 没有其他情况了 就只有这些 其他都没有了，算吧 差不多了，算一下 好了，给我结果 可以出结果了 就到这，帮我算\n"
    "    没有别的了，帮我算算 信息都给你了 该说的都说了 都说完了，算吧 没啥了 没有补充了 不用再问了 先算这些 按这些先算 就这样算吧\n"
    "    够了，出结果 行了，算一下 好，帮我汇总 汇总一下吧 看看总共多少 算算总数 合计多少 总共能拿多少 一共多少钱",
    "ask_explanation": "为什么是这个金额 这个数是怎么得出的 能说说依据吗 为什么这么算 怎么得出来的 计算方法是什么 给我看看计算过程 具体怎么算的\n"
    "    为什么我不符合 为什么没有这项 为啥没算上 凭什么是这个数 哪一条规定的 原文是怎么说的 依据是哪个文件 能给出处吗 把依据列一下\n"
    "    每项是怎么算的 详细解释一下 解释一下结果 说说理由 为何是这个结果 为什么少了一项 为什么只有这些",
    "thank": "谢谢啦，很有帮助 非常感谢，明白了 谢谢，我去准备材料 感谢解答，很详细 谢谢，清楚了 太好了，谢谢 好的，感谢 感谢您的帮助\n"
    "    麻烦了，谢谢 谢谢小助手 感谢小助手 谢谢，帮大忙了 谢谢你的解释 太感谢啦 谢谢，辛苦了 收到，感谢",
    "goodbye": "好的，我先下了 先这样，再见 我去忙了，拜拜 那就先这样 下次再问你 回头再来问 好的，结束 结束对话 退出 不聊了 先不聊了 那我先走了\n"
    "    好，再见啦 拜拜了 走了 再联系 有事再来 先告辞了",
    "deny": "没有的 没有呢 不是的呢 不对的 不用了 不需要了 没有这种情况 我们没有 没有获得过 都没有呢 一项也没有 没这个 不存在 没有过\n"
    "    不是这样 不对，不是 否定 no的 不要了 不用问了，没有 没有，谢谢",
    "bot_challenge": "你是真人客服吗 你是人工智能吗 我是在和机器对话吗 你是电脑吗 回复我的是人吗 是机器人自动回复吗 你是真人还是程序",
}
for _name, _text in ROUND2.items():
    HAND[_name] = HAND[_name] + " " + _text

# Third round, after the held-out split became stable: openings and closings from real service
# chats, short keyword queries (users type just “贯标” or “助保贷”), questions about who is in
# charge, deadlines and documents, and small talk that borrows the bot's own words (结果, 计算).
ROUND3 = {
    "greet": "嗨嗨 hello呀 你好，咨询 您好，麻烦问下 领导您好 主任好 科长好 老师，您好 你好，我是新来的专员 您好，请问是知识产权服务吗\n"
    "    打扰了 冒昧问一下 您好，在忙吗 早上好啊 下午好呀 中午好 晚上好，还在吗 周末好 新年好 hi there 嘿 嘿，你好 你好呀，请问",
    "goodbye": "好的，先这样 那先这样吧 我下了 先下线 不聊了，拜拜 关掉吧 我关了 结束吧 就聊到这 今天到此为止 回见啦 下次联系\n"
    "    没别的事了，再见 事情问完了，拜拜 我走啦 撤了撤了 好，先挂了 先忙了，再见 去开会了 不打扰了 不耽误你了，再见 好的，谢谢，再见",
    "thank": "谢谢你呀 多谢啦 谢谢亲 感谢回复 谢谢答复 感谢你的回答 谢谢耐心解答 谢谢这么详细 辛苦解答 麻烦你了 有劳了 谢谢哈 好的，多谢 明白，感谢",
    "affirm": "好的没问题 可以可以 是的没错 对的没错 嗯嗯好的 好的呢 ok的 okay 行行行 没错没错 是这个 就是这个 对，是这家 是我们 确实如此 那当然 一点没错",
    "deny": "不是我们 不是这样的 没这回事 没有没有 并没有呢 不是不是 否，没有 木有 莫有 没得 还没呢 尚未 暂无 目前还没有 今年还没有 没拿过 没评过 不符合",
    "ask_help": "你能干嘛 你有啥用 能帮我啥 咋问你 怎么跟你聊 可以查什么 能问点啥 给我介绍下功能 有哪些能力 你擅长什么 你会回答什么\n"
    "    支持哪些县 你们覆盖哪些地方 哪些地区能查 我该怎么开始 先干什么 使用方法 用法说明 教程 新手指引 有帮助菜单吗",
    "bot_challenge": "你是机器人吧 你是程序吧 是真人吗 是不是人工 有真人客服吗 人工在吗 转人工客服 我要转人工 找人工 你到底是谁\n"
    "    你是什么东西 你是哪家的机器人 你是不是AI 跟我聊天的是谁 你是自动的吧 你有名字吗 你是客服机器人吗 我想跟人说话",
    "dont_know": "不知道啊 不清楚呀 真不知道 完全不清楚 这个没概念 没注意过 不记得了，跳过 跳过吧 这题跳过 下一题 换一个问题 这个不答了\n"
    "    先不说这个 这个回头再说 等我查完再说 我得看看证书 要翻一下档案 需要问下法务 问问我们老板 财务才知道 不好统计 说不准具体数",
    "done": "算吧，就这些 不用问了 可以了 差不多了 没有要补充的 就这样吧，算 帮我算吧 算总账 给个总数 出个结果 把结果给我 看看结果\n"
    "    开始算吧 计算吧 算出来看看 快点算 直接给结果 好了，就这些情况 情况就这些 我们只有这些 其他都不涉及 剩下的都没有 别的没有了，算吧",
    "out_of_scope": "比赛结果怎么样 考试结果什么时候出 体检结果怎么看 彩票开奖结果 选举结果 计算器在哪 帮我计算一下房贷 算一下个税\n"
    "    帮我算算工资 年假怎么算 企业年报怎么填 年检在哪办 工商变更怎么办 银行开户要什么材料 发票丢了怎么办 招聘网站哪个好\n"
    "    你几岁了 你住哪 你吃饭了吗 陪我聊聊天 我心情不好 给我讲个段子 来首诗 今天热不热 明天降温吗 周末加班吗",
    "ask_explanation": "能解释下吗 解释下 讲讲为什么 说明一下 详细点 为什么是这样 为啥是这个数 怎么回事 怎么算出来的呀 计算过程给我看下\n"
    "    这个数对吗，怎么来的 为什么我只能拿这么多 哪条规定这么算的 为什么没有那个奖 为何不符合 原因是什么 依据呢 出处呢",
}
for _name, _text in ROUND3.items():
    HAND[_name] = HAND[_name] + " " + _text

# Fourth round: the pairs the classifier still mixes up, written as contrasts: declining an offer
# (deny) against stopping the questions (done); leaving (goodbye) against thanking; asking for
# the reasoning (ask_explanation) against asking what the bot does (ask_help); everyday sums and
# results that are not about awards (out_of_scope).
ROUND4 = {
    "deny": "不用 不用啦 不必了 不需要啊 不要 不想要 用不着 没必要 不了 不用麻烦了 不用谢谢 不要紧，不用 那倒没有 没有的事儿 一件也没 零件 零个 是零",
    "done": "别再问了，算吧 不想再答了，直接算 问题太多了，先算 就先到这，算结果 可以开始算了 信息齐了 都告诉你了 材料都给了，算 结束填写 填完了 提交 确认提交 就按这个算",
    "goodbye": "好，就先这样了 就到这吧，再见 不聊了，谢谢 那我不问了，拜拜 先聊到这里 今天先聊这么多 行，那先这样 我先撤，拜 走了，谢谢 那先不打扰了",
    "thank": "谢谢你，问完了 感谢，帮了大忙 谢谢，回答得很好 谢谢，我明白了 谢谢你告诉我 谢谢你的建议",
    "ask_explanation": "可以解释吗 可以说明下吗 能讲讲原因吗 能说下依据吗 麻烦解释一下 请解释 请说明计算依据 给个解释 这是怎么算的呢 结果怎么来的 钱数怎么来的 这钱怎么算的",
    "dont_know": "过吧 跳 skip 这题不会 答不上 没法说 我要确认一下 确认后再说 我核对下再说 等我核实 得核实后告诉你 回头确认",
    "out_of_scope": "帮我算下利息 算一下加班工资 算算油费 计算一下面积 汇率怎么算 考试成绩查询 查一下比分 天气结果 抽奖结果 年终奖怎么算 社保基数怎么算 个人所得税计算器\n"
    "    营业执照怎么年检 公司注销流程 税务登记怎么办 食品经营许可证怎么办 环评怎么做 安全生产许可证 招投标在哪看 政府采购怎么参加",
}
for _name, _text in ROUND4.items():
    HAND[_name] = HAND[_name] + " " + _text

REGIONS = [
    "泽州县",
    "泽州",
    "晋城市泽州县",
    "山西省晋城市泽州县",
    "桓台县",
    "桓台",
    "淄博桓台",
    "上杭县",
    "上杭",
    "龙岩上杭",
    "长治市",
    "长治",
    "潞州区",
    "上党区",
    "长治县",
    "屯留区",
    "潞城",
    "襄垣县",
    "武乡县",
    "柞水县",
    "柞水",
    "商洛柞水",
    "高平市",
    "北京",
]
COUNTRIES = ["美国", "日本", "德国", "韩国", "英国", "法国", "俄罗斯", "新加坡", "澳大利亚", "加拿大", "意大利", "越南"]
NUMS = ["1", "2", "3", "5", "6", "8", "10", "11", "12", "15", "20", "一", "两", "三", "五", "十", "十二", "二十"]
LEVEL_WORDS = ["国家级", "省级", "市级"]


def ent(value: str, entity: str, canonical: str | None = None) -> str:
    if canonical and canonical != value:
        return f'[{value}]{{"entity": "{entity}", "value": "{canonical}"}}'
    return f"[{value}]({entity})"


def region() -> str:
    return ent(rng.choice(REGIONS), "region")


def n() -> str:
    # Numbers are read deterministically by actions/facts.py (十二件, 两件, 1.5万); not a DIET entity.
    return rng.choice(NUMS)


def country() -> str:
    return ent(rng.choice(COUNTRIES), "country")


def level() -> str:
    return ent(rng.choice(LEVEL_WORDS), "level")


INFORM = [
    region,
    region,
    lambda: f"{n()}件",
    lambda: f"{n()}个",
    lambda: f"{region()}的",
    lambda: f"在{region()}",
    lambda: f"我们在{region()}",
    lambda: f"公司在{region()}",
    lambda: f"我们单位注册在{region()}",
    lambda: f"{region()}的企业",
    lambda: f"注册地是{region()}",
    lambda: f"我们是{region()}的一家科技公司",
    lambda: f"今年授权了{n()}件{ent('发明专利', 'ip_type')}",
    lambda: f"{ent('发明专利', 'ip_type')}{n()}件",
    lambda: f"有{n()}件{ent('发明专利', 'ip_type')}拿到了授权",
    lambda: f"今年拿到{n()}个{ent('发明专利', 'ip_type')}证书",
    lambda: f"我们在{region()}，今年授权了{n()}件{ent('发明专利', 'ip_type')}",
    lambda: f"在{country()}有{n()}件专利",
    lambda: f"{country()}专利{n()}件",
    lambda: f"还有{n()}件{country()}专利",
    lambda: f"在{country()}和{country()}各有{n()}件专利",
    lambda: f"{region()}，{n()}件{ent('发明专利', 'ip_type')}，还有{n()}件{country()}专利",
    lambda: f"获得了{n()}件{ent('集成电路布图设计', 'ip_type')}",
    lambda: f"{ent('布图设计', 'ip_type', '集成电路布图设计')}有{n()}件",
    lambda: f"拿了{ent('中国专利金奖', 'award')}",
    lambda: f"获得过{ent('中国专利银奖', 'award')}",
    lambda: f"去年得了{ent('中国专利优秀奖', 'award')}",
    lambda: f"我们获得了{ent('省专利奖一等奖', 'award')}",
    lambda: f"拿过{ent('山西省专利奖二等奖', 'award', '省专利奖二等奖')}",
    lambda: f"有一项{ent('省专利奖三等奖', 'award')}",
    lambda: f"获得{ent('中国外观设计金奖', 'award')}",
    lambda: f"评上了{ent('外观设计优秀奖', 'award', '中国外观设计优秀奖')}",
    lambda: f"得过{ent('市专利奖', 'award')}",
    lambda: f"我们是{level()}{ent('知识产权优势企业', 'ip_type')}",
    lambda: f"被评为{level()}{ent('知识产权示范企业', 'ip_type')}",
    lambda: f"去年评上了{level()}{ent('优势企业', 'ip_type', '知识产权优势企业')}",
    lambda: f"是{level()}{ent('示范企业', 'ip_type', '知识产权示范企业')}",
    lambda: f"我们是{ent(rng.choice(['国家级', '省级']), 'level')}{ent('版权示范单位', 'ip_type')}",
    lambda: f"园区是{ent(rng.choice(['国家级', '省级']), 'level')}{ent('版权示范园区', 'ip_type')}",
    lambda: f"初次通过了{ent('知识产权管理体系认证', 'ip_type')}",
    lambda: f"今年刚{ent('贯标', 'ip_type', '知识产权管理体系认证')}通过",
    lambda: f"我们通过{ent('贯标', 'ip_type', '知识产权管理体系认证')}了",
    lambda: f"还没有{ent('贯标', 'ip_type', '知识产权管理体系认证')}",
    lambda: f"新注册了{n()}件{ent('地理标志商标', 'ip_type')}",
    lambda: f"{ent('地理标志商标', 'ip_type')}有{n()}件",
    lambda: f"有{n()}个{ent('地理标志保护产品', 'ip_type')}",
    lambda: f"获批了{n()}个{ent('地理标志保护产品', 'ip_type')}",
    lambda: f"{ent('地标', 'ip_type', '地理标志商标')}商标{n()}件",
    lambda: f"获得{ent('中国商标金奖', 'award')}",
    lambda: f"我们的商标评上了{ent('中国商标金奖', 'award')}",
    lambda: f"{ent('植物新品种权', 'ip_type')}{n()}件",
    lambda: f"培育的新品种拿到了{n()}件{ent('植物新品种权', 'ip_type')}",
    lambda: f"通过{ent('马德里', 'ip_type')}在{country()}注册了商标",
    lambda: f"{ent('马德里', 'ip_type')}国际注册在{country()}、{country()}获得注册",
    lambda: f"新申请了{n()}件{ent('马德里', 'ip_type')}商标，延伸了{n()}个国家",
    lambda: f"{ent('马德里', 'ip_type')}申请{n()}件，指定{n()}个国家",
    lambda: f"有{n()}个项目获得{ent('省级专利推广实施资助项目', 'ip_type')}",
    lambda: f"拿到了{n()}个{ent('专利推广实施资助项目', 'ip_type', '省级专利推广实施资助项目')}",
    lambda: f"{ent('专利导航', 'ip_type')}花了{rng.choice(['8万', '12万元', '100000元', '6万元'])}",
    lambda: f"开展{ent('专利导航', 'ip_type')}，费用{rng.choice(['9万', '15万元', '50000元'])}",
    lambda: f"从外地买了{n()}件{ent('发明专利', 'ip_type')}",
    lambda: (
        f"{ent('质押贷款', 'ip_type')}{rng.choice(['500万', '300万', '1000万', '200万元'])}，利率{rng.choice(['4.35%', '3.45%', '3.85%'])}，{rng.choice(['12', '6', '10'])}个月"
    ),
    lambda: (
        f"用专利{ent('质押贷款', 'ip_type')}贷了{rng.choice(['500万', '800万'])}，年利率{rng.choice(['4.35%', '3.65%'])}"
    ),
    lambda: f"市里给了{rng.choice(['2万', '24000元', '1.5万'])}贴息",
    lambda: f"已经拿到市级贴息{rng.choice(['3万元', '18000元'])}",
    lambda: f"我们是{ent(rng.choice(['高校', '大学']), 'entity_type', 'university')}",
    lambda: f"我们是{ent(rng.choice(['科研院所', '研究所']), 'entity_type', 'research_institute')}",
    lambda: (
        f"我们是一所{ent('中小学', 'entity_type', 'school')}，是{ent(rng.choice(['国家级', '省级']), 'level')}知识产权教育示范学校"
    ),
    lambda: f"我们是{ent('知识产权服务机构', 'entity_type', 'ip_service_agency')}",
]
ASK_AWARDS = [
    "我能申请哪些奖励",
    "我们能拿多少钱",
    "帮我算算能拿多少补贴",
    "有哪些奖励可以申请",
    "我们公司能享受哪些政策",
    "能领多少奖金",
    "查一下我们能拿的奖励",
    "计算一下奖励金额",
    "我想知道能申请什么补助",
    "帮我看看有什么钱可以拿",
    "评估一下我们的奖励",
    "有什么补贴能领",
    "我们符合哪些奖励条件",
    "能享受多少资助",
    "奖励能有多少",
    "我们单位能拿多少奖补资金",
    "算算奖励",
    "查询可申请的奖励",
    "知识产权奖励能拿多少",
    "帮我测算一下",
    "想申请知识产权奖励",
    "看看我能拿什么",
    "我们够条件吗",
    "有没有适合我们的奖励",
    "帮我们企业匹配一下政策",
    "政策匹配",
    "我要查奖励",
    "我想算一下补贴",
    "能给我们多少钱",
    "我们这种情况能拿多少",
    "看看有哪些资助",
    "我们能申请哪些补助资金",
    "我们企业能享受什么知识产权扶持",
    "帮我看看能拿哪些奖补",
    "能申请的奖励有哪些",
    "我们公司符合什么奖励",
    "我们能不能拿到奖励",
    "我想知道我们能领多少",
    "帮我查查有没有钱拿",
    "我们可以申请哪些资助",
    "能帮我算算奖补吗",
    "我们能享受哪些奖补政策",
    "请帮我评估能拿多少奖励",
    "想了解我们能拿的补贴",
    "给我们算一下资助金额",
    "我们有哪些奖励能申报",
    "申报奖励能拿多少",
    "我们能拿什么奖励",
    "帮我算算专利能拿多少",
    "我们这样的企业有奖励吗",
    "我们是否符合奖励条件",
    "查一查我们的奖补",
    "我们可以领什么钱",
    "我们有什么奖补",
    "帮我们查下能领的补贴",
    "我们公司能有多少奖励",
    "我能拿到哪些资助",
    "我们单位能领哪些奖励",
    "算下我们的奖励",
    "我们能领多少补贴",
    "看看我们够不够条件",
    "我们符合条件吗",
    "帮我看看我们能申请啥",
    "我们这情况有钱拿吗",
    "能查下我们的奖补吗",
    "想看看我们能拿多少",
    "我们企业可以享受哪些补助",
    "有哪些钱我们能申请",
    "帮我匹配下奖励",
    "测一下我们能拿多少",
    "我想查询我们的奖补金额",
    "给我们估个数",
]
ASK_AWARDS_WITH_FACTS = [
    lambda: f"我们在{region()}，今年授权了{n()}件{ent('发明专利', 'ip_type')}，能拿多少奖励",
    lambda: f"{region()}的企业，有{n()}件{ent('发明专利', 'ip_type')}，能申请什么",
    lambda: f"我们在{region()}，能拿多少补贴",
    lambda: f"{region()}有什么奖励我们能申请",
    lambda: f"有{n()}件{country()}专利，能领多少钱",
    lambda: f"我们是{level()}{ent('知识产权优势企业', 'ip_type')}，能拿多少奖励",
    lambda: f"在{region()}，拿了{ent('中国专利银奖', 'award')}，帮我算算",
    lambda: f"{region()}，{n()}件{ent('地理标志商标', 'ip_type')}，奖励多少",
]
CORRECT = [
    lambda: f"不对，是{n()}件",
    lambda: f"说错了，应该是{n()}件",
    lambda: f"更正一下，{ent('发明专利', 'ip_type')}是{n()}件",
    lambda: f"不是这个数，是{n()}",
    lambda: f"刚才说错了，是{n()}个",
    lambda: f"改一下，{n()}件",
    lambda: f"我搞错了，地区是{region()}",
    lambda: f"不对，我们在{region()}",
    lambda: f"更正：应该是{level()}",
    lambda: f"错了错了，是{n()}件才对",
    lambda: f"修改一下，{country()}是{n()}件",
    lambda: f"不好意思，数量是{n()}",
]
EXTRA_QUESTIONS = [
    "专利质押贷款有贴息吗",
    "12330是什么热线",
    "贯标有补助吗",
    "发明专利授权有奖励吗",
    "地理标志商标奖励多少",
    "马德里商标怎么补贴",
    "版权示范单位奖励标准",
    "知识产权示范企业有什么奖励",
    "植物新品种权奖励多少",
    "质押融资有什么支持政策",
    "专利导航怎么资助",
    "电商平台知识产权怎么保护",
    "软件正版化有什么要求",
    "知识产权维权援助中心在哪",
    "商标侵权怎么举报",
    "专利侵权找谁",
    "知识产权保险有补贴吗",
    "这个政策什么时候到期",
    "这个文件是哪年发的",
    "政策还有效吗",
    "长治的方案正式发布了吗",
    "文号是多少",
    "哪个部门负责",
    "奖励找哪个部门申请",
    "境外专利资助标准是什么",
    "集成电路布图设计有补助吗",
    "中国专利金奖奖多少",
    "省专利奖配套奖励多少",
    "知识产权教育试点学校有经费吗",
    "专利代理机构有补助吗",
    "购买专利有补助吗",
    "专项资金用在哪些方面",
    "有效发明专利目标是多少",
    "知识产权强县建设目标",
    "质押融资目标多少",
    # Keyword-only queries, as typed into a search box (not bare IP types: “地理标志” alone may
    # answer the form's question, so it stays ambiguous and out of the data).
    "贯标",
    "贯标补助",
    "专利导航",
    "质押融资",
    "质押贴息",
    "知识产权保险",
    "专利保险",
    "维权援助",
    "正版化",
    "版权示范",
    "高价值专利",
    "专利转化",
    "专利密集型产业",
    "知识产权服务机构",
    "商标品牌",
    "发明专利资助",
    "专利产业化",
    "知识产权教育",
    "行政执法",
    "快速维权",
    # Who, when, where: the documents themselves.
    "责任单位是谁",
    "由哪个部门落实",
    "牵头单位是哪个",
    "找哪个局申报",
    "这个方案什么时候印发的",
    "这个文件还管用吗",
    "有效期到什么时候",
    "方案的期限是几年",
    "文件是哪个单位发的",
    "什么时候开始申报",
    "去哪里申报",
    "申报需要什么材料",
    "资金什么时候发放",
    "奖励资金从哪出",
    "柞水的方案是哪年的",
    "上杭的实施方案还有效吗",
    "桓台的政策有附件吗",
    "泽州方案的文号",
    # Targets and figures of the plans.
    "发明专利拥有量目标",
    "有效注册商标目标多少件",
    "地理标志要达到几件",
    "每万人口发明专利拥有量要达到多少",
    "质押融资要达到多少亿",
    "商标注册量目标",
]


class _Literal(str):
    pass


yaml.SafeDumper.add_representer(
    _Literal, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
)


def block(examples: list[str]) -> _Literal:
    return _Literal("".join(f"- {e}\n" for e in examples))


def held_out(example: str) -> bool:
    """One example in five, by a hash of its text: adding phrasings never moves an existing example
    across the split, so evaluations before and after a data round compare like with like."""
    return hashlib.blake2b(example.encode(), digest_size=2).digest()[0] % 5 == 0


def split(examples: list[str]) -> tuple[list[str], list[str]]:
    unique = list(dict.fromkeys(examples))
    return [e for e in unique if not held_out(e)], [e for e in unique if held_out(e)]


def generated(templates: list, count: int) -> list[str]:
    return [rng.choice(templates)() for _ in range(count)]


def main() -> None:
    intents: dict[str, list[str]] = {name: text.split() for name, text in HAND.items()}
    intents["inform"] = generated(INFORM, 700)
    intents["ask_eligible_awards"] = ASK_AWARDS + generated(ASK_AWARDS_WITH_FACTS, 160)
    intents["correct_fact"] = generated(CORRECT, 150)
    questions = [item["q"] for item in yaml.safe_load((ROOT / "knowledge/retrieval/eval/questions.yaml").read_text())]
    # First-person questions are about this enterprise's money: ask_eligible_awards. Questions about a
    # rate (“一件给多少钱”, “能拿三万吗”) are answered from the clause: ask_policy_question.
    mine = [q for q in questions if re.search(r"我们|咱们|我司|本公司", q)]
    intents["ask_eligible_awards"] += mine
    intents["ask_policy_question"] = [q for q in questions if q not in mine] + EXTRA_QUESTIONS
    files = {
        "greet.yml": ["greet", "goodbye", "thank"],
        "chitchat.yml": ["affirm", "deny", "ask_help", "bot_challenge", "dont_know", "done"],
        "out_of_scope.yml": ["out_of_scope"],
        "profile.yml": ["inform", "correct_fact"],
        "awards.yml": ["ask_eligible_awards", "ask_explanation"],
        "policy_qa.yml": ["ask_policy_question"],
    }
    test_nlu = []
    for file, names in files.items():
        nlu = []
        for name in names:
            train, test = split(intents[name])
            nlu.append({"intent": name, "examples": block(train)})
            test_nlu.append({"intent": name, "examples": block(test)})
        header = "# Generated by bot/data/generate_nlu.py; edit the generator, not this file.\n"
        (NLU_DIR / file).write_text(
            header + yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )
    TEST_FILE.parent.mkdir(parents=True, exist_ok=True)
    TEST_FILE.write_text(
        "# Held-out NLU examples (never trained on). Generated by bot/data/generate_nlu.py.\n"
        + yaml.safe_dump({"version": "3.1", "nlu": test_nlu}, allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
