"""Training content for the Home Visit Hub: role-play scenarios and two courses.

Plain Python data (no Django imports) so it can be read by seed commands, tests and
migrations alike. Program facts follow /work/shared/DOMAIN.md (LEAP, Connecticut).

Block shapes inside a module's ``body``:
    ("text", html)                      -- h3, p, ul/li and strong only
    ("scenario", scenario_slug, how_to_use_it)
    ("check", {"title", "pass_mark", "questions": [{"prompt", "choices", "explanation"}]})
    ("reflection", {"prompt", "guidance"})
"""

SCENARIOS = [
    {
        "slug": "first-visit-the-first-phone-call",
        "title": "The first phone call: “Is she in trouble?”",
        "stage": "first_visit",
        "setting": "A phone call from a quiet office at school, Wednesday at 12:15 pm. The school secretary says Mr. "
                   "Mensah is easiest to reach on his lunch break. Both visitors are in the room; Visitor A makes the "
                   "call and Visitor B listens and takes notes.",
        "family_situation": "Kwame Mensah is raising his daughter Abena (grade 4) on his own and works two jobs, a "
                            "warehouse day shift and weekend security. Abena has missed 10 of 75 days so far (about "
                            "13%), mostly in runs of two or three days. The school nurse has left two messages about "
                            "Abena's asthma inhaler but has not heard back. Abena's teacher describes her as a "
                            "careful, kind reader who helps classmates. Mr. Mensah has never met anyone from the "
                            "school in person.",
        "role_visitor_a": "You are a grade 2 teacher at Abena's school and a trained LEAP visitor. You know her "
                          "attendance, that her teacher says she is a kind and careful reader, and that the nurse has "
                          "been trying to reach her father. Your aim for this call is modest: introduce yourselves, "
                          "explain the visits in plain words, share something good about Abena, and offer a first "
                          "meeting at a time and place that suits him. If he says no, you accept it gracefully.",
        "role_visitor_b": "You are a youth worker from the local Youth Service Bureau, partnered with Visitor A. Your "
                          "agency has an agreement with the district for LEAP. On this call you mostly listen; you "
                          "may be introduced and say hello. Note what Mr. Mensah says about times and places, and "
                          "anything he raises that you will need to follow up. Afterwards you will compare notes with "
                          "Visitor A.",
        "role_parent": "You are Kwame Mensah. You pick up expecting bad news; your first words after hearing it is "
                       "the school are “Is she in trouble?” You are tired and short on time. If the visitors lead "
                       "with absences, rules or the word “required”, say you don't have time for visits and you will "
                       "make sure she comes, then try to end the call. If they reassure you honestly, say something "
                       "good about Abena and offer flexibility (a short meeting, a Saturday, the library, the "
                       "school), warm up and agree to meet. If trust builds, mention that Abena's asthma flares in "
                       "cold weather and that you are not sure the inhaler at school is still in date. Hold back that "
                       "you often miss calls because you cannot use your phone at work.",
        "role_student": "Not present: Abena is at school. Variation for a second round: Abena is home sick, you can "
                        "hear her coughing, and she calls out “Who is it, Daddy?” partway through the call.",
        "opening": "“Hello, is this Mr. Mensah? My name is ___, I teach second grade at Abena's school. First, Abena "
                   "is fine and she's not in trouble. I'm calling about our LEAP home-visit program: a colleague and "
                   "I meet with some families to get to know them and hear how the year is going. Is this an OK "
                   "moment for two minutes, or is there a better time to call?”",
        "coach_prompts": [
            "Pause. He asked “Is she in trouble?” Did your answer reassure him and stay honest about why you're "
            "calling? Try that line again in one or two sentences.",
            "You've used the words “chronic absence” and “intervention”. How would you say the same thing at your own "
            "kitchen table?",
            "He says he has no time for visits. Before you accept or push, what flexibility can you offer? Name two "
            "options, then let him choose.",
            "He mentioned the inhaler. Resist solving it on the phone. What can you offer to find out, and by when?",
            "Practise the close: confirm day, time, place and who will be there, and give a number he can reach you "
            "on.",
        ],
        "debrief_questions": [
            "What did Mr. Mensah need to hear in the first thirty seconds, and did he hear it?",
            "If he had declined, how would you have ended the call so the door stays open?",
            "What did you promise to follow up on, who owns it, and by when?",
            "What would you record after this call, and what would you leave out?",
        ],
        "culture_language_notes": "Mr. Mensah is from Ghana and speaks English fluently with an accent; do not slow "
                                  "down, raise your voice or offer an interpreter on the assumption he needs one. Do "
                                  "ask every family, as routine, which language they prefer. Use “Mr. Mensah” until "
                                  "he invites otherwise, and ask how he would like to be addressed. Many working "
                                  "parents cannot take calls on shift; a short call at a time they chose is a sign of "
                                  "respect.",
    },
    {
        "slug": "first-visit-a-wary-welcome",
        "title": "First visit: “The school only calls when something is wrong”",
        "stage": "first_visit",
        "setting": "The family's apartment in New Britain, Tuesday at 4:30 pm, after the parent's early shift. The "
                   "visit was arranged by phone last week. You are invited to sit at the kitchen table; the TV is on "
                   "in the next room.",
        "family_situation": "Denise Walker lives with her son Jaylen (grade 7) and her daughter Kiara (grade 2). "
                            "Jaylen has missed 17 of 90 days this year (about 19%), mostly single days, often "
                            "Mondays. Kiara's attendance is fine. Denise works as a home health aide and leaves at 6 "
                            "am, so Jaylen gets himself and his sister out the door. Last year Denise had several "
                            "calls about Jaylen's behaviour and one meeting at school that left her feeling blamed.",
        "role_visitor_a": "You are a paraprofessional at Jaylen's middle school. You know his attendance, and that "
                          "his science teacher says he is funny, quick and draws brilliant diagrams. Your aim: begin "
                          "a positive relationship, learn about the family and about Jaylen, and hear Denise's hopes "
                          "for him. You do not open with the numbers. You lead the conversation at first.",
        "role_visitor_b": "You are a youth worker from the Youth Service Bureau, which runs an after-school art and "
                          "games club at the middle school. You ask permission before taking any notes, watch the "
                          "pacing, notice what Denise says about mornings and Mondays, and share the talking. You "
                          "offer the club only if it fits something the family raises.",
        "role_parent": "You are Denise. You agreed to the visit but you are guarded; you expect to be told you are "
                       "failing. Early on, say “The school only calls when something is wrong.” If the visitors open "
                       "with absences or rules, give short answers and ask “So is this about court?” If they ask "
                       "about Jaylen as a person, warm up: he loves drawing, wants to design video games and is good "
                       "with his sister. If trust builds, share that mornings are hard, that he is up late on his "
                       "phone, and that on Mondays he says his stomach hurts; you suspect trouble with some boys at "
                       "lunch but he won't say. Hold back, unless asked gently and privately, that you are behind on "
                       "the electric bill.",
        "role_student": "Jaylen is in the next room. If the visitors ask Denise whether he could join for a few "
                        "minutes, come in, be shy, give one-word answers. Open up if asked about drawing or games. If "
                        "asked about school, say “it's fine”; only if someone asks what makes a school day hard do "
                        "you say lunch is “annoying” because of some kids.",
        "opening": "Thank Denise for having you, especially after a long shift. Introduce yourselves by name and "
                   "role, then say plainly: “We're with LEAP, the school's home-visit program. We visit families to "
                   "get to know them and hear what you hope for your kids. We're not here about rules or to check up "
                   "on you, and you can stop us any time.” Then ask: “Tell us about Jaylen. What's he like at home?”",
        "coach_prompts": [
            "Pause. She asked whether this is about court. How can you answer honestly without sounding defensive? "
            "Try it again.",
            "Who has done most of the talking in the last five minutes? Rewind, ask one open question, then wait "
            "through the silence.",
            "She mentioned Mondays and stomach aches. Before offering anything, reflect back what you heard and ask "
            "what she thinks is going on.",
            "Visitor B hasn't spoken for a while. How can the pair hand over naturally?",
            "You're near the time you agreed. Practise closing: what you heard, what you'll follow up, and asking "
            "permission to call in a couple of weeks.",
        ],
        "debrief_questions": [
            "What does Denise hope for Jaylen, in her words?",
            "At what moment did trust grow or shrink, and what caused it?",
            "Which barriers did you hear, and which did you rightly leave for a later conversation?",
            "What did you promise, and can you deliver it?",
        ],
        "culture_language_notes": "English-speaking family; no interpreter needed. A parent's own history with school "
                                  "shapes how a visit from “the school” feels, so expect caution and don't take it "
                                  "personally. Avoid school jargon (“chronic absence”, “Tier II”, “intervention”); "
                                  "say “missed days” and “the visits”. Don't assume who makes decisions or who helps "
                                  "with the children; ask who else is important in Jaylen's life.",
    },
    {
        "slug": "follow-up-call-the-pantry-that-did-not-work-out",
        "title": "Follow-up call: the referral that didn't connect",
        "stage": "follow_up_call",
        "setting": "A phone call at 6 pm on a weekday, two weeks after the first visit. Visitor A calls from the "
                   "school's family room; Visitor B is on speaker, which Rosa agreed to at the start. You can hear a "
                   "baby and a television in the background.",
        "family_situation": "Rosa Medina and her partner have three children; Mateo (grade 1) has missed 12 of 80 "
                            "days (15%). At the first visit Rosa explained that the car broke down in the fall; she "
                            "walks Mateo and his brother when she can, but on rainy days or when the baby is sick "
                            "they stay home. Money for food is tight at the end of the month. The visitors gave her "
                            "the name of a food pantry and said they would ask about a school bus. The pantry is only "
                            "open weekday mornings, when Rosa has the baby and no car, so she has not gone. The "
                            "school has since confirmed Mateo lives inside the walking zone, so he is not eligible "
                            "for a bus.",
        "role_visitor_a": "You are a school social worker and a LEAP visitor. You must tell Rosa the bus answer "
                          "honestly. You have looked up two other options: a pantry at a church that is open one "
                          "evening a week, and calling 2-1-1 together to search for food help nearer her home. You "
                          "want to understand what got in the way, not to check up on her.",
        "role_visitor_b": "You are a program staff member from the Boys & Girls Club. You know the club runs a "
                          "morning drop-off program at Mateo's school, but you are not sure whether there are places "
                          "or what it costs, so you cannot promise it. You help notice what Rosa actually wants help "
                          "with and keep track of who will do what next.",
        "role_parent": "You are Rosa. You are tired and a little embarrassed that you haven't been to the pantry, and "
                       "you expect to be judged. At first say you “didn't get to it”. If asked kindly, explain the "
                       "hours and the baby. If the visitors simply repeat the address or tell you it is important, go "
                       "quiet. If they listen, tell them proudly that Mateo's teacher sent home a note about his "
                       "reading. Hold back, unless trust is strong, that your partner's hours were cut this month. "
                       "You are disappointed about the bus, but you would be interested in other ideas for rainy "
                       "mornings.",
        "role_student": "Mateo, six, may grab the phone. Play him as cheerful and chatty: he wants to tell the "
                        "visitors about the class fish and the book he read by himself. Hand the phone back to Mom "
                        "when she asks.",
        "opening": "“Hi Rosa, it's ___ from Mateo's school, with ___ on speaker, from the home visit two weeks ago. "
                   "Is now still a good time, or would you like us to call back? We said we'd call to check in and "
                   "let you know what we found out, so here we are.”",
        "coach_prompts": [
            "Pause. How did you deliver the bus news? Did it sound like the family had done something wrong? Try "
            "again, plainly and kindly.",
            "Rosa says she didn't get to the pantry. Instead of re-sending it, what question would help you "
            "understand why?",
            "Mateo just came on the line. How can you use this moment for the relationship?",
            "You're ten minutes in. What is enough for this call? Agree one next step each, then close.",
            "Visitor B is tempted to mention the morning program. How can you raise it without promising a place you "
            "can't guarantee?",
        ],
        "debrief_questions": [
            "How will you record the pantry referral (connected or not connected), and why does it matter?",
            "What did you learn about the family that you didn't know after the first visit?",
            "What next steps did you agree, and who owns each one?",
            "How did it feel to bring news the family didn't want, and how did you handle it?",
        ],
        "culture_language_notes": "Rosa is bilingual and speaks Spanish at home. Ask which language she prefers for "
                                  "calls. If a visitor is fluent in Spanish, offer to speak Spanish; a bilingual "
                                  "visitor talking directly with a family is different from acting as an interpreter "
                                  "for a colleague, which needs a trained interpreter. Asking for help with food can "
                                  "carry shame in any culture; keep the tone ordinary and practical.",
    },
    {
        "slug": "second-visit-meeting-the-teacher",
        "title": "Second visit: connecting Nia with her school",
        "stage": "second_visit",
        "setting": "A small meeting room at the public library, Thursday at 5 pm. The family chose it because "
                   "relatives are staying in the apartment and it is crowded. The first visit was a month ago.",
        "family_situation": "Nia Thompson (grade 9) lives with her aunt, Beverly, who became her guardian two years "
                            "ago. Nia has missed 13 of 85 days (about 15%) and is late to first period on many other "
                            "days. At the first visit Beverly said Nia gets knots in her stomach before school, has "
                            "stopped eating breakfast and feels sick on the crowded bus. Nia wants to be a nurse. She "
                            "speaks warmly of her English teacher, Ms. Ortiz, who has told the visitors she would be "
                            "glad to meet Nia and Beverly before school one morning.",
        "role_visitor_a": "You are a grade 9 math teacher at Nia's school (not her teacher). Since the first visit "
                          "you have spoken with Ms. Ortiz and the school counselor, with Beverly's permission. Your "
                          "aim: build the relationship, help Nia and Beverly feel connected to a teacher and to the "
                          "school, and share school resources that fit. Let Nia and Beverly shape the plan.",
        "role_visitor_b": "You are the district's family liaison. You know the school has a quiet room near the "
                          "counseling office where students can start the day, and that the counselor can meet Nia if "
                          "the family wants that. You watch for Nia's reactions and make sure she is asked, not just "
                          "talked about.",
        "role_parent": "You are Beverly. You are relieved the visitors came back, and you want help, but you are wary "
                       "of anything that sounds like a report. If the counselor is mentioned, ask “Will this go in "
                       "her file?” and “I don't want her labelled.” If the visitors answer honestly and let Nia "
                       "choose, you relax. Share, if asked, that you left school at sixteen and want Nia to have more "
                       "choices than you did. Hold back that money is tight since you took Nia in.",
        "role_student": "You are Nia, present for the whole visit. Start quiet, with your hood up. Light up if asked "
                        "about nursing or Ms. Ortiz. If asked directly what makes mornings hard, say the bus is loud "
                        "and packed and you feel like you can't breathe. You don't want to be seen going to the "
                        "counselor's office by other students. You'd be willing to meet Ms. Ortiz if you could choose "
                        "the day.",
        "opening": "Greet Beverly and Nia by name and thank them for choosing a place that works for them. Remind "
                   "them briefly what you talked about last time and that you did what you said you would: “We spoke "
                   "with Ms. Ortiz, like we said we would, and she had lovely things to say about Nia.” Then ask Nia "
                   "directly: “How have the last few weeks been?”",
        "coach_prompts": [
            "Pause. Who has decided the plan so far, you or Nia? Ask Nia what she thinks would help.",
            "Beverly asked whether this goes in Nia's file. Answer honestly: what do you know, and what would you "
            "need to check and get back to her about?",
            "You've offered three resources at once. Pick the one that matches what Nia said and ask whether she "
            "wants it.",
            "Nia used the words “can't breathe”. Acknowledge it without diagnosing. How would you respond?",
            "Close by confirming who will contact Ms. Ortiz, when, and how Nia will know the plan.",
        ],
        "debrief_questions": [
            "What connection to school did Nia leave with, and was it her choice?",
            "How did you handle Beverly's worry about records and labels?",
            "What did Nia's body language tell you, and how did you respond?",
            "What will you follow up before the next call, and how will you record it?",
        ],
        "culture_language_notes": "English-speaking family. Kinship carers often carry worries about agencies and "
                                  "records; be accurate about what is and isn't shared, and never promise "
                                  "confidentiality you cannot keep. Some families see counseling as only for "
                                  "“serious” problems; talk about the counselor as someone who helps students with "
                                  "everyday school stress, and let the family decide.",
    },
    {
        "slug": "first-visit-with-an-interpreter",
        "title": "First visit with an interpreter: a kindergartner and a careful mother",
        "stage": "first_visit",
        "setting": "The family's apartment in Danbury, Saturday at 10 am. A trained Portuguese interpreter from the "
                   "district's list comes with you. You met the interpreter in the car park ten minutes early to "
                   "brief them.",
        "family_situation": "Luciana Souza moved from Brazil three years ago with her husband and two children. Sofia "
                            "(kindergarten) has missed 11 of 70 days (about 16%), often after a cough or cold. Her "
                            "brother Gabriel (grade 6) has also missed some days, sometimes to look after the baby "
                            "when Luciana's cleaning job calls her in early. Luciana speaks Portuguese and some "
                            "English; the family has no car. She agreed to the visit after a call through a phone "
                            "interpreter but sounded unsure.",
        "role_visitor_a": "You are a kindergarten paraeducator at Sofia's school. You know Sofia loves the dress-up "
                          "corner and is learning English quickly. Your aim is a first visit: begin a relationship, "
                          "learn about the family and Sofia, and hear Luciana's hopes, working well with the "
                          "interpreter. You are not there to discuss Gabriel's attendance unless Luciana raises it.",
        "role_visitor_b": "You work for the Boys & Girls Club, a community partner with an agreement with the "
                          "district for LEAP. You know the club offers an after-school program near the school. You "
                          "help keep sentences short for the interpreter, watch the time and notice whether Luciana "
                          "is following comfortably.",
        "role_parent": "You are Luciana and speak only Portuguese (or, if the group has no Portuguese speaker, your "
                       "own language, with the interpreter's role played in English). You are polite but careful: you "
                       "are not sure why the school sends people to your home. If anyone asks about papers, status or "
                       "your husband's work, become very quiet and say he is not home. If the visitors speak to you "
                       "directly and are clear about who they are, warm up: you hope Sofia learns English well so she "
                       "never struggles as you have. Share that you keep Sofia home when she coughs so she won't make "
                       "others sick, and that you thought kindergarten was mostly play. You feel guilty about Gabriel "
                       "staying home, and will only mention it if you feel safe.",
        "role_student": "Play Gabriel, 11. Sofia is playing nearby. Early on, offer to translate: “I can just tell "
                        "her, it's faster.” If the visitors let you, interpret but leave out anything about your own "
                        "missed days and soften anything that sounds like a complaint. If they kindly decline, go and "
                        "play with Sofia, and come back later to show your drawings.",
        "opening": "Through the interpreter, looking at Luciana: greet her, thank her, introduce yourselves and the "
                   "interpreter, and say that the interpreter will say everything you both say and keeps it private. "
                   "Then: “We're from Sofia's school. We visit families to get to know them and hear your hopes for "
                   "your children. It's your choice to talk with us, and we won't ask about anyone's immigration "
                   "status; that isn't what we're here for.”",
        "coach_prompts": [
            "Pause. Who were you looking at when you asked that question? Try it again, speaking to Luciana in the "
            "first person.",
            "Gabriel just offered to translate. What do you say to him, kindly, and why?",
            "That was a long answer with three ideas in it. Break it into short pieces for the interpreter.",
            "Luciana said she keeps Sofia home with a cough. How can you respond without correcting her or giving "
            "medical advice?",
            "Luciana went quiet after a question. What do you think happened? Repair it.",
            "Before you leave, how will you agree the next contact, in which language, and through whom?",
        ],
        "debrief_questions": [
            "How did the interpreter change the pace of the visit, and how did you adjust?",
            "What did you learn about Luciana's hopes for Sofia?",
            "Which moments built trust, and which risked it?",
            "What did you ask the interpreter in your debrief with them afterwards?",
        ],
        "culture_language_notes": "The family speaks Brazilian Portuguese; never substitute a Spanish interpreter. "
                                  "Use a trained interpreter, not Gabriel, a neighbour or a bilingual visitor who is "
                                  "not trained to interpret. Brief the interpreter beforehand (purpose of the visit, "
                                  "key words such as “home visit” and “attendance”, confidentiality, length). If the "
                                  "group has five people, the fifth plays the interpreter: interpret faithfully in "
                                  "the first person, ask the visitors to pause if they speak too long, and never add "
                                  "advice of your own. Immigration worries are real for many families: be clear who "
                                  "you are, do not ask about or record status, and if Luciana raises concerns, offer "
                                  "to connect her with an immigration advocate rather than giving legal advice or "
                                  "promises. The evaluation found smaller attendance effects for English learners, "
                                  "which is a reason to take extra care with language, not less.",
    },
    {
        "slug": "later-visit-should-we-keep-going",
        "title": "Fourth visit: “I think we're OK now”",
        "stage": "later_visit",
        "setting": "The front porch of the family's house in Torrington, early May, 3:45 pm. Mr. Pelletier prefers to "
                   "sit outside. This is the fourth visit, with follow-up calls in between.",
        "family_situation": "Raymond Pelletier, 68, is raising his grandson Tyler (grade 5). In the autumn Tyler was "
                            "missing about 16% of days; over the last two months he has missed 3 of 38 days (about "
                            "8%). Visitors helped connect the family to an after-school program, which Tyler loves. "
                            "Tyler's mother, Raymond's daughter, is in recovery and visits irregularly; Tyler is "
                            "often quiet and sad for a day or two afterwards. Raymond is having knee surgery next "
                            "month and won't be able to drive for about six weeks.",
        "role_visitor_a": "You are the school's attendance-team secretary and have been one of this family's visitors "
                          "since the autumn. You know the numbers and are genuinely glad about them. Your aims: "
                          "deepen the relationship, check on Tyler's well-being, celebrate the progress, and ask "
                          "whether the family wants to continue the visits. Either answer is fine.",
        "role_visitor_b": "You are a youth worker from the Youth Service Bureau and Tyler's after-school program runs "
                          "in your building. You have seen Tyler there and have a good story about him to share. You "
                          "listen for anything that could put the progress at risk in the coming months.",
        "role_parent": "You are Raymond. You are proud of Tyler and a little proud of yourself. Early on say “I think "
                       "we're OK now; you must have families who need you more.” If the visitors respect that and ask "
                       "how things are, mention the knee surgery and that you don't know how Tyler will get to school "
                       "for those weeks. If they ask gently about Tyler's mood, share how he goes quiet after his "
                       "mother's visits. You don't want to “make a fuss”. You'd accept a couple more calls if it is "
                       "clearly your choice.",
        "role_student": "You are Tyler, ten, and come out onto the porch with your science fair project about worms. "
                        "You are chatty about the project and the after-school program. If asked how you feel lately, "
                        "shrug and say “fine, mostly”. If a visitor asks about what makes a day hard, say sometimes "
                        "you're tired after Mom comes.",
        "opening": "Greet Raymond and Tyler by name, and start with the good news in plain words: “Tyler's been in "
                   "school so much more since the winter. That's a real change, and we know you two worked for it.” "
                   "Ask Tyler about the project in his hands before anything else.",
        "coach_prompts": [
            "Pause. Raymond says they're OK now. Did you hear it as a choice to respect or a problem to talk him out "
            "of? Try a response that does neither too quickly.",
            "You've celebrated the numbers. How do you check on Tyler's well-being, not just his attendance?",
            "He mentioned the knee surgery. What could help with the six weeks, and which of those can you actually "
            "arrange?",
            "Tyler said he's tired after his mom visits. How do you respond in front of his grandfather?",
            "Practise asking the question plainly: “Would you like us to keep visiting, or would you rather stop "
            "here?”",
        ],
        "debrief_questions": [
            "What did the family decide about continuing, and how will you record it?",
            "What signs of well-being, or of strain, did you notice in Tyler?",
            "What, if anything, did you offer for the weeks after the surgery, and who follows up?",
            "How would you close the visits well if this were the last one?",
        ],
        "culture_language_notes": "English-speaking family. Grandparents raising grandchildren may feel judged about "
                                  "their family story; let Raymond decide what to share about his daughter, and don't "
                                  "ask for details of her recovery. Older carers can be reluctant to ask for help; "
                                  "name options as ordinary things many families use.",
    },
]


# --------------------------------------------------------------------------------------------
# LEAP 101
# --------------------------------------------------------------------------------------------

LEAP_101_MODULES = [
    {
        "slug": "cornerstones-and-the-shift-to-relationships",
        "title": "Why relationships: the LEAP cornerstones",
        "estimated_minutes": 20,
        "required": True,
        "in_refresher": True,
        "body": [
            ("text",
             "<h3>From truancy to relationships</h3>"
             "<p>For a long time, schools answered absence with letters, warnings and truancy procedures. Those tools "
             "tell a family that a rule was broken; they rarely find out <strong>why</strong> a child is missing "
             "school, and they can leave families feeling blamed and less willing to talk to the school.</p>"
             "<p>Connecticut defines <strong>chronic absence</strong> as missing 10% or more of the days a student is "
             "enrolled, <strong>for any reason</strong>: excused, unexcused or suspension. A child can be chronically "
             "absent with a note for every single day. Attendance Works groups the root causes into four "
             "families:</p><ul>"
             "<li><strong>Barriers</strong>: transportation, housing, illness, caring for family, food, internet and "
             "more.</li>"
             "<li><strong>Negative school experiences</strong>: bullying, a poor fit with a class, a parent's own "
             "painful memories of school.</li>"
             "<li><strong>Lack of engagement</strong>: a student who doesn't feel connected to an adult or a reason "
             "to be there.</li>"
             "<li><strong>Misconceptions</strong>: believing excused absences don't matter, or that missing a day "
             "here and there does no harm.</li>"
             "</ul>"
             "<p>None of these is solved by enforcement. They are found by listening, which is why LEAP exists.</p>"),
            ("text",
             "<h3>What LEAP is</h3>"
             "<p>LEAP (the Learner Engagement and Attendance Program) is a <strong>Tier II</strong> intervention: "
             "early, personalised outreach for students who are chronically absent or at risk of it. Tier I is what "
             "every student gets; Tier III is intensive support for students with the most severe absence.</p>"
             "<p>Schools choose the students. A <strong>pair</strong> of trained visitors then offers the family a "
             "visit at home, or at a place the family prefers, to build a trusting relationship. Visitors are school "
             "staff or staff of community partners such as Youth Service Bureaus and Boys &amp; Girls Clubs; they "
             "volunteer for the role and are paid for the work. Families may say no.</p>"
             "<p>Your job on a visit is to <strong>learn from the family</strong>: who they are, what they hope for "
             "their child, and what, if anything, gets in the way. You are never there to enforce attendance "
             "rules.</p>"),
            ("text",
             "<h3>The six cornerstones</h3><ul>"
             "<li><strong>Trusting relationships.</strong> The relationship is the intervention. Do what you say "
             "you'll do, and be honest about what you can't do.</li>"
             "<li><strong>Flexible.</strong> Meet when and where the family can: an evening, a Saturday, the library, "
             "the school, a phone call if that is what works today.</li>"
             "<li><strong>Collaborative.</strong> Families, students, teachers, coordinators and community partners "
             "solve problems together. You don't have to have every answer.</li>"
             "<li><strong>Data driven.</strong> Attendance data helps schools choose who to offer visits to and shows "
             "whether attendance changes afterwards; a consistent visit log reveals common barriers across districts. "
             "Data guides the program; it is not how you open a conversation.</li>"
             "<li><strong>Culturally responsive.</strong> Families are the experts on their own lives, languages and "
             "traditions. You come curious.</li>"
             "<li><strong>Voluntary for all.</strong> Families choose whether to take part and whether to continue; "
             "staff choose to become visitors.</li>"
             "</ul>"),
            ("check", {
                "title": "Check: the cornerstones",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "A student has missed 19 of 180 days this year, and every absence was excused with "
                                  "a parent's note. How does LEAP see this student?",
                        "choices": [
                            {"text": "As chronically absent: chronic absence counts every missed day, excused or not, "
                                     "and 19 of 180 is over 10%.", "correct": True},
                            {"text": "As not a concern, because every absence was excused.", "correct": False},
                            {"text": "As a concern only if the notes look suspicious.", "correct": False},
                        ],
                        "explanation": "Chronic absence is about lost learning time, not rule-breaking. Missing 10% "
                                       "or more of enrolled days for any reason counts. Excused days may point to a "
                                       "barrier, such as asthma or no car, that a relationship can help uncover.",
                    },
                    {
                        "prompt": "A colleague says, “The visit is our chance to make sure the parent knows the "
                                  "attendance law.” What is the best response?",
                        "choices": [
                            {"text": "“The visits are for learning from the family and building trust. If they ask "
                                     "about rules we answer honestly, but that's not why we go.”", "correct": True},
                            {"text": "“Agreed, but save the law for the end so it doesn't spoil the mood.”",
                             "correct": False},
                            {"text": "“Let's just leave a copy of the policy on the table in case.”", "correct": False},
                        ],
                        "explanation": "Visitors never enforce attendance rules. Bringing the law into the visit, "
                                       "however gently, makes the visit about compliance and undoes the trust the "
                                       "program relies on.",
                    },
                    {
                        "prompt": "Which of these show the “voluntary for all” cornerstone? Choose all that apply.",
                        "choices": [
                            {"text": "A family can decline a visit, and that choice is respected with no consequence.",
                             "correct": True},
                            {"text": "Staff choose whether to become home visitors.", "correct": True},
                            {"text": "Families who decline are passed to the attendance officer instead.",
                             "correct": False},
                            {"text": "A family who declines is asked again each week until they agree.",
                             "correct": False},
                        ],
                        "explanation": "Voluntary means the family's answer stands. Declining leads to no visit and "
                                       "no penalty; you can leave the door open, but you don't wear the family down.",
                    },
                    {
                        "prompt": "What does “data driven” mean for a LEAP visitor?",
                        "choices": [
                            {"text": "Schools use attendance data to decide which families to offer visits to and to "
                                     "see whether attendance changes; the visit log shows common barriers.",
                             "correct": True},
                            {"text": "Visitors open each visit by going through the student's absence dates with the "
                                     "parent.", "correct": False},
                            {"text": "Visitors collect as much personal information as possible so the record is "
                                     "complete.", "correct": False},
                        ],
                        "explanation": "Data guides who is offered visits and whether the program is working. On the "
                                       "visit itself, you lead with the relationship, and you record only what is "
                                       "needed.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Think of a time someone from an institution (a school, a clinic, an office) contacted you "
                          "or your family. What made it feel like they were on your side, or not?",
                "guidance": "There is no right answer. Notice the specific things: the first words, the tone, whether "
                            "they listened, whether they followed through. Write down one thing you want families to "
                            "feel after you call or visit them.",
            }),
        ],
    },
    {
        "slug": "the-visit-sequence",
        "title": "The visit sequence and what each visit is for",
        "estimated_minutes": 20,
        "required": True,
        "in_refresher": True,
        "body": [
            ("text",
             "<h3>Several visits, one relationship</h3>"
             "<p>LEAP is built on <strong>multiple visits focused on relationships</strong>. No single conversation "
             "fixes attendance; trust grows when a family sees the same two people come back, remember what they said "
             "and follow through. Each step has its own goals:</p><ul>"
             "<li><strong>Visit #1:</strong> begin a positive relationship; learn about the family and the student; "
             "offer resources if needed.</li>"
             "<li><strong>Follow-up calls:</strong> the same goals as visit #1, kept up between visits.</li>"
             "<li><strong>Visit #2:</strong> build the relationship; connect the student to a teacher and the school; "
             "share helpful attendance and school resources.</li>"
             "<li><strong>Visits #3, #4, #5 and on:</strong> deepen the relationship; check on the student's "
             "well-being, especially if they are still chronically absent; ask whether the family wants to "
             "continue.</li>"
             "</ul>"),
            ("text",
             "<h3>The first visit and the calls between</h3>"
             "<p>The first visit is mostly listening. You are learning who lives in the home, what the student is "
             "like, what the family hopes for them and what their days look like. Offer a resource only if the family "
             "raises a need and wants help with it.</p>"
             "<p><strong>Follow-up calls</strong> keep the relationship alive between visits. Use them to check in, "
             "share good news from school, report back on anything you promised to find out, and ask how a referral "
             "went. A short call that keeps a promise is worth more than a long one that doesn't.</p>"),
            ("text",
             "<h3>The second visit and beyond</h3>"
             "<p>By the second visit you are connecting the student with the school: perhaps a meeting with a teacher "
             "the student likes, an introduction to a counselor or coach, or an after-school program. Ask the student "
             "what they want; connections they choose last.</p>"
             "<p>Later visits go deeper. Check on how the student is doing, not just how often they are in school. "
             "Celebrate progress in plain words. And at each later visit, <strong>ask whether the family wants to "
             "continue</strong>. Ending well, with thanks and a clear way to reach the school, is part of the "
             "work.</p>"
             "<p>Where you meet matters. In the program's evaluation of nearly 8,700 students in 15 districts, "
             "in-person visits (at home or at school) had larger effects than virtual or phone visits, and effects "
             "were similar whether school or community staff visited. Offer in-person meetings at a place the family "
             "chooses, and stay flexible when they can't.</p>"),
            ("text",
             "<h3>Who is behind you</h3><ul>"
             "<li><strong>Your school and district LEAP coordinators</strong> match you with families, answer "
             "questions and help with follow-up.</li>"
             "<li><strong>The attendance team</strong> monitors how students are doing after visits.</li>"
             "<li><strong>Community partners</strong> bring resources and often visitors too.</li>"
             "<li><strong>The Hub</strong> offers Connection Sessions, Talk Tuesdays and further training, so you "
             "never work it out alone.</li>"
             "</ul>"),
            ("check", {
                "title": "Check: the visit sequence",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "Which goal is new at the second visit, compared with the first?",
                        "choices": [
                            {"text": "Connecting the student to a teacher and to the school.", "correct": True},
                            {"text": "Learning about the family for the first time.", "correct": False},
                            {"text": "Deciding whether the family should be referred to court.", "correct": False},
                        ],
                        "explanation": "Visit #2 builds on the relationship begun at visit #1 and adds a connection "
                                       "between the student and school staff, along with helpful school and "
                                       "attendance resources. Court referral is never a LEAP goal.",
                    },
                    {
                        "prompt": "It's the fourth visit. Attendance has improved and the grandparent says things are "
                                  "going well. What should you make sure to do?",
                        "choices": [
                            {"text": "Check on how the student is doing and ask whether the family wants to continue "
                                     "the visits.", "correct": True},
                            {"text": "Tell the family the visits are over because the numbers are better.",
                             "correct": False},
                            {"text": "Keep the original schedule without asking, since more visits always help.",
                             "correct": False},
                        ],
                        "explanation": "Later visits check on well-being as well as attendance, and the family "
                                       "decides whether to continue. Neither the data alone nor the visitor's plan "
                                       "makes that choice for them.",
                    },
                    {
                        "prompt": "A parent asks for a video call instead of a home visit. What is a good response?",
                        "choices": [
                            {"text": "Agree, and say you'd also be glad to meet in person whenever it suits, at home "
                                     "or somewhere they choose.", "correct": True},
                            {"text": "Explain that the program requires a home visit, so it's home or nothing.",
                             "correct": False},
                            {"text": "Agree, and ask them to keep the camera on so you can see the home.",
                             "correct": False},
                        ],
                        "explanation": "Flexibility is a cornerstone. In-person visits showed larger effects, so keep "
                                       "the offer open, but the family sets the terms. A visit is never an inspection "
                                       "of the home.",
                    },
                    {
                        "prompt": "What are follow-up calls between visits for?",
                        "choices": [
                            {"text": "Keeping the relationship going: checking in, sharing good news and reporting "
                                     "back on what you promised.", "correct": True},
                            {"text": "Reminding the parent of each absence since the last visit.", "correct": False},
                            {"text": "Only rescheduling visits that fell through.", "correct": False},
                        ],
                        "explanation": "Follow-up calls carry the same goals as the first visit. They show the family "
                                       "you remember them and keep your word.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Which step in the visit sequence do you expect to find hardest, and what would help you "
                          "with it?",
                "guidance": "Be specific: the first call, asking about hopes, bringing news that isn't what the "
                            "family wanted, or asking whether to stop. Name one person (your partner, your "
                            "coordinator, a colleague at a Connection Session) you could practise it with.",
            }),
        ],
    },
    {
        "slug": "first-contact-and-the-phone-call",
        "title": "First contact: the phone call",
        "estimated_minutes": 25,
        "required": True,
        "in_refresher": False,
        "body": [
            ("text",
             "<h3>Before you dial</h3>"
             "<p>Talk with your school coordinator first. Know the student's first name, grade and teacher, the "
             "family's preferred language, and the best time and number to call. Ask a teacher for <strong>one "
             "specific, positive thing</strong> about the student; many families rarely hear good news from "
             "school.</p><ul>"
             "<li>If the family prefers another language, arrange a phone interpreter for the call.</li>"
             "<li>Decide who in your pair will speak and who will listen and note times and places.</li>"
             "<li>Have your calendars open so you can offer real times.</li>"
             "<li>Remember privacy: attendance records are education records. Community-partner visitors see them "
             "only under the district's agreement or with parental consent.</li>"
             "</ul>"),
            ("text",
             "<h3>What to say</h3>"
             "<p>Keep the first call short and warm. A simple shape:</p><ul>"
             "<li><strong>Who you are:</strong> your name, your role, and that you're calling from the school's "
             "home-visit program.</li>"
             "<li><strong>Reassurance:</strong> the child is fine and not in trouble.</li>"
             "<li><strong>Something good:</strong> the positive thing the teacher shared.</li>"
             "<li><strong>Why you're calling:</strong> you'd like to meet, get to know the family and hear how the "
             "year is going. Be honest that attendance is one reason the school reached out, without reciting "
             "dates.</li>"
             "<li><strong>Choice and flexibility:</strong> it's their choice; you can meet at home, at school, at the "
             "library, on a weekend or evening.</li>"
             "</ul>"
             "<p>Avoid words that sound like enforcement: “required”, “mandatory”, “violation”, “truancy”. If a "
             "parent says the school only calls when something is wrong, agree that this call is meant to be "
             "different, and show it.</p>"
             "<p>If you reach voicemail, leave your name, that you're calling from the school about a friendly visit "
             "program, and a number and times to call back. Leave no details about attendance; others may hear the "
             "message.</p>"),
            ("text",
             "<h3>When a family says no, or not now</h3>"
             "<p>A “no” is an answer, not an obstacle. Thank the parent, say you respect it, and tell them how to "
             "reach you if they change their mind. The family's choice is recorded (offered, accepted or declined); "
             "<strong>declined means no visit</strong>.</p>"
             "<p>“Not now” is different. Offer a later call, a shorter meeting or a different place, and let the "
             "parent choose. If you can't reach a family, try different times of day or a note home in the family's "
             "language, following your district's guidance on how many attempts to make. Never discuss the family "
             "with neighbours or other parents to find them.</p>"),
            ("scenario", "first-visit-the-first-phone-call",
             "Run the call twice: once where the visitors lead with rules and the parent declines, and once where "
             "they lead with reassurance and flexibility, then compare."),
            ("check", {
                "title": "Check: the first call",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "The parent answers, “Is Abena in trouble?” What is the best first response?",
                        "choices": [
                            {"text": "“No, she's not in trouble. We're from the school's home-visit program, and we'd "
                                     "like to get to know you and hear how the year is going for her.”",
                             "correct": True},
                            {"text": "“Not yet, but her absences are reaching the point where the school has to act.”",
                             "correct": False},
                            {"text": "“I can't really say over the phone.”", "correct": False},
                        ],
                        "explanation": "Reassure first and honestly. A veiled threat ends the relationship before it "
                                       "starts, and vagueness makes a worried parent more worried.",
                    },
                    {
                        "prompt": "You reach the family's voicemail. What do you leave?",
                        "choices": [
                            {"text": "Your name, that you're calling from the school about a friendly visit program, "
                                     "and a number and times to call back.", "correct": True},
                            {"text": "A detailed message listing the days the student missed, so the parent knows why "
                                     "you called.", "correct": False},
                            {"text": "A message saying it's urgent and they must call back today.", "correct": False},
                        ],
                        "explanation": "Voicemail may be heard by others, and attendance is private. A calm, brief "
                                       "message invites a call back without alarm.",
                    },
                    {
                        "prompt": "The parent says, “I don't have time for visits.” Which responses fit LEAP? Choose "
                                  "all that apply.",
                        "choices": [
                            {"text": "Offer flexibility: a shorter meeting, an evening or weekend, or a place that's "
                                     "easier for them.", "correct": True},
                            {"text": "If they still say no, thank them, respect it and tell them how to reach you if "
                                     "they change their mind.", "correct": True},
                            {"text": "Explain that the visits are part of the attendance process, so they need to "
                                     "make time.", "correct": False},
                            {"text": "Promise the visit will get the school off their back.", "correct": False},
                        ],
                        "explanation": "Flexibility often turns “no time” into “yes”, and a respected “no” keeps the "
                                       "door open. Framing visits as compulsory, or promising outcomes you don't "
                                       "control, breaks trust.",
                    },
                    {
                        "prompt": "Why ask a teacher for something positive about the student before the call?",
                        "choices": [
                            {"text": "So the family hears something good about their child from the school, which "
                                     "many families rarely do.", "correct": True},
                            {"text": "So you have something to soften the bad news with.", "correct": False},
                            {"text": "So you can report back to the teacher that you did it.", "correct": False},
                        ],
                        "explanation": "A genuine, specific positive tells the parent you see their child as a "
                                       "person, and it is the beginning of a relationship, not a tactic.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Write the first three sentences you will say on your first call, in your own words.",
                "guidance": "Read them aloud. Do they say who you are, reassure the parent, and offer a choice? Would "
                            "you feel comfortable hearing them if the school called you? Bring them to your live "
                            "practice session.",
            }),
        ],
    },
    {
        "slug": "the-first-visit-listening-for-hopes",
        "title": "The first visit: listening for a family's hopes",
        "estimated_minutes": 30,
        "required": True,
        "in_refresher": False,
        "body": [
            ("text",
             "<h3>Arriving well</h3><ul>"
             "<li><strong>Go as a pair.</strong> Agree beforehand who opens and who takes notes, and plan to swap so "
             "the family hears from both of you.</li>"
             "<li><strong>Let someone know.</strong> Your coordinator should know where you are and when you expect "
             "to finish.</li>"
             "<li><strong>Be on time and keep to the time you agreed.</strong> If you're running late, call.</li>"
             "<li><strong>Follow the family's lead.</strong> Sit where you're invited; accept a glass of water or a "
             "coffee if offered and you're able. Ask before taking notes.</li>"
             "<li><strong>Bring people, not paperwork.</strong> A folder of records on the table says “case”. A "
             "contact card for the school says “we're here for you”.</li>"
             "</ul>"),
            ("text",
             "<h3>Listening for hopes and dreams</h3>"
             "<p>The heart of the first visit is learning what the family hopes for their child. Ask open questions, "
             "then listen more than you talk:</p><ul><li>“Tell us about ___. What's she like at home?”</li>"
             "<li>“What is he really good at? What does he love?”</li>"
             "<li>“What are your hopes and dreams for her, this year and when she's grown?”</li>"
             "<li>“What was school like for you?”</li><li>“What's a typical morning like in your house?”</li>"
             "<li>“What do you wish his teachers knew about him?”</li></ul>"
             "<p>Reflect back what you hear (“It sounds like mornings are a juggle with you leaving so early”), leave "
             "room for silence, and share a little about yourself so it feels like a conversation rather than an "
             "interview. If the student joins, ask them directly too.</p>"),
            ("text",
             "<h3>Offering help, and keeping promises</h3>"
             "<p>If a need comes up, ask before offering: “Would it help if we looked into that?” Offer one concrete "
             "next step you can actually take, with a date: “I'll ask the nurse about the inhaler and call you by "
             "Friday.” Never promise what you don't control, such as a bus, a place in a program or a change in a "
             "teacher's decision.</p>"
             "<p>Not every need belongs in the first visit. It's fine to say, “That sounds important. Could we come "
             "back to it when we call?”</p>"),
            ("text",
             "<h3>Closing the visit</h3><ul>"
             "<li>Summarise what you heard, especially the hopes, in the family's words.</li>"
             "<li>Say what you will do, and by when.</li>"
             "<li>Ask permission to call in a couple of weeks and agree the best time.</li>"
             "<li>Leave your work contact details and thank them.</li>"
             "<li>Afterwards, debrief with your partner before you drive away, and complete the visit log the same "
             "day.</li>"
             "</ul>"),
            ("scenario", "first-visit-a-wary-welcome",
             "Play the first fifteen minutes, pausing at the parent's first guarded remark so each pair can try a "
             "different response."),
            ("check", {
                "title": "Check: the first visit",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "A parent says, “The school only calls when something is wrong.” What is a good "
                                  "response?",
                        "choices": [
                            {"text": "“That sounds frustrating. We'd like this to be different. Can you tell us what "
                                     "Jaylen's good at?”", "correct": True},
                            {"text": "“That's not really true; the school sends a newsletter every month.”",
                             "correct": False},
                            {"text": "“Well, the absences are why we're here, so let's go through them.”",
                             "correct": False},
                            {"text": "“I'll make sure the principal stops calling you.”", "correct": False},
                        ],
                        "explanation": "Acknowledge the feeling, then show the difference by asking about the child's "
                                       "strengths. Arguing dismisses her experience, turning to absences proves her "
                                       "point, and promising to stop the school's calls is a promise you can't keep.",
                    },
                    {
                        "prompt": "Halfway through the visit, the parent mentions the electric bill is overdue. What "
                                  "do you do?",
                        "choices": [
                            {"text": "Acknowledge it, ask whether she'd like help finding options, and if so agree "
                                     "one concrete step, such as calling 2-1-1 together or you finding out and "
                                     "calling back.", "correct": True},
                            {"text": "Promise the school will help cover the bill.", "correct": False},
                            {"text": "Move on; bills aren't about attendance.", "correct": False},
                        ],
                        "explanation": "Offering resources if needed is a first-visit goal, and a worry at home can "
                                       "easily affect school. Ask first, offer one step you can deliver, and follow "
                                       "it up.",
                    },
                    {
                        "prompt": "Which are good first-visit questions? Choose all that apply.",
                        "choices": [
                            {"text": "“What are your hopes and dreams for him?”", "correct": True},
                            {"text": "“What's he really good at?”", "correct": True},
                            {"text": "“Why wasn't he in school on the 14th?”", "correct": False},
                            {"text": "“Do you think you're strict enough about bedtime?”", "correct": False},
                        ],
                        "explanation": "Open questions about strengths and hopes build trust and tell you what "
                                       "matters to the family. Questions about specific dates or parenting judgements "
                                       "put the parent on trial.",
                    },
                    {
                        "prompt": "How should a visiting pair share the work during a visit?",
                        "choices": [
                            {"text": "One leads, the other listens, notes (with permission) and steps in, and they "
                                     "hand over so the family hears from both.", "correct": True},
                            {"text": "The more senior visitor talks; the other stays quiet to avoid confusion.",
                             "correct": False},
                            {"text": "They take turns reading questions from a checklist.", "correct": False},
                        ],
                        "explanation": "Two visitors give you two sets of ears and a partner for the debrief. Both "
                                       "should build a relationship with the family, and the conversation should feel "
                                       "natural, not scripted.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "What do you hope for a child you care about? How might it feel to be asked that question "
                          "by someone from school, in your own kitchen?",
                "guidance": "Notice what it would take for you to answer honestly: time, trust, the right words, no "
                            "sense of being judged. Those are the conditions you are trying to create on a first "
                            "visit.",
            }),
        ],
    },
    {
        "slug": "barriers-and-connecting-to-resources",
        "title": "Barriers and connecting families to resources",
        "estimated_minutes": 30,
        "required": True,
        "in_refresher": False,
        "body": [
            ("text",
             "<h3>Understanding what gets in the way</h3>"
             "<p>Families rarely say “we have a transportation barrier”. They say “the car broke down” or “it was "
             "raining and the baby was sick”. Your job is to listen for the barrier inside the story. The barriers "
             "LEAP visitors hear most often include:</p><ul><li>Transportation, and a safe route to school</li>"
             "<li>Housing instability</li><li>Physical health, and mental and behavioural health</li>"
             "<li>Food insecurity</li><li>Technology and internet</li>"
             "<li>Childcare for siblings, and caring for family or working</li>"
             "<li>Language, and immigration concerns</li><li>Bullying and school climate</li>"
             "<li>Disengagement from school</li><li>Misconceptions about absence</li></ul>"
             "<p>Most families face more than one. Ask which one matters most to them right now.</p>"),
            ("text",
             "<h3>Resources you can offer</h3>"
             "<p>Know your local map before you need it: ask your coordinator which partners your district works "
             "with. Common matches:</p><ul>"
             "<li><strong>Behavioural health care</strong> through school counselors and social workers or community "
             "providers.</li>"
             "<li><strong>Shelters and housing help</strong> for families who are doubled up or about to lose "
             "housing.</li>"
             "<li><strong>Food pantries</strong>; check the hours fit the family's day.</li>"
             "<li><strong>Devices and broadband help</strong> for families without reliable internet.</li>"
             "<li><strong>Transportation options</strong>, as your district allows.</li>"
             "<li><strong>Interpreters</strong> for school meetings, not just home visits.</li>"
             "<li><strong>Immigration advocates</strong> when a family asks for help or advice.</li>"
             "<li><strong>Summer and after-school programs</strong> that give students a reason to come and an adult "
             "who expects them.</li>"
             "<li><strong>The 2-1-1 information line</strong>, for anything you don't know; calling it together "
             "during a visit is often the easiest first step.</li>"
             "</ul>"
             "<p>Misconceptions are met with information, shared gently. Two missed days a month sounds small, but "
             "over a 180-day school year it adds up to about 18 days, around 10%. Families often don't know that "
             "missed days in kindergarten and the early grades matter; the school nurse can help a parent think "
             "through when a child is too sick for school.</p>"),
            ("text",
             "<h3>A referral is a start, not a finish</h3>"
             "<p>Handing over a name and number feels like help, but often it isn't enough. In one home-visiting "
             "study, <strong>only about one referral in five led to a service connection</strong>. So in LEAP, every "
             "referral is followed to an outcome: <strong>connected</strong> or <strong>not connected</strong>.</p>"
             "<ul>"
             "<li><strong>Ask what might get in the way</strong>: hours, travel, childcare, language, paperwork, "
             "pride.</li>"
             "<li><strong>Make a warm handoff</strong> where you can: a call together, an introduction by name, an "
             "interpreter arranged.</li>"
             "<li><strong>Follow up</strong> on your next call: “Did you manage to reach them? How did it go?”</li>"
             "<li><strong>If it didn't connect</strong>, find out why without judgement and try another route, or "
             "agree to let it go if the family prefers.</li>"
             "<li><strong>Record it</strong> in the visit log. Pooled across schools, districts and the state, these "
             "records show where families' needs go unmet.</li>"
             "</ul>"),
            ("scenario", "follow-up-call-the-pantry-that-did-not-work-out",
             "Use it to practise following a referral to its outcome: delivering disappointing news, asking what got "
             "in the way, and recording the result."),
            ("check", {
                "title": "Check: barriers and resources",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "You referred a family to a food pantry. On the follow-up call the parent says she "
                                  "hasn't gone. What is the best next step?",
                        "choices": [
                            {"text": "Ask, without judgement, what got in the way, look for an option that fits, and "
                                     "record the referral as not connected for now.", "correct": True},
                            {"text": "Send the pantry's address again and remind her how important it is.",
                             "correct": False},
                            {"text": "Record it as connected, since you gave her the information.", "correct": False},
                        ],
                        "explanation": "A referral that didn't connect usually has a reason, such as hours, travel or "
                                       "childcare. Understanding it leads to an option that works, and honest "
                                       "recording shows where services fail families.",
                    },
                    {
                        "prompt": "Why does LEAP ask visitors to follow every referral to “connected” or “not "
                                  "connected”? Choose all that apply.",
                        "choices": [
                            {"text": "Because a name and number often doesn't lead to help: in one home-visiting "
                                     "study only about one referral in five connected.", "correct": True},
                            {"text": "Because the pooled visit log shows common barriers and gaps in services across "
                                     "districts, regions and the state.", "correct": True},
                            {"text": "To show which families failed to follow through.", "correct": False},
                        ],
                        "explanation": "Following referrals is about the family getting help and the system learning "
                                       "where help is missing, never about grading the family.",
                    },
                    {
                        "prompt": "A parent says she keeps her first-grader home whenever he has a runny nose, “so he "
                                  "doesn't spread it”. Which approach fits best?",
                        "choices": [
                            {"text": "Recognise that she's caring for him and others, mention that missed days in the "
                                     "early grades add up, and offer to connect her with the school nurse about when "
                                     "to keep him home.", "correct": True},
                            {"text": "Tell her a runny nose isn't a valid reason to miss school.", "correct": False},
                            {"text": "Tell her exactly which symptoms mean he should stay home.", "correct": False},
                        ],
                        "explanation": "This is a misconception met with respect and information. The parent's "
                                       "instinct is caring; the nurse, not the visitor, gives health guidance.",
                    },
                    {
                        "prompt": "A grade 8 student has started avoiding school because of some classmates. Which "
                                  "barrier is this, and what fits?",
                        "choices": [
                            {"text": "Bullying and school climate: with the family's agreement, connect them with the "
                                     "right person at school and follow up.", "correct": True},
                            {"text": "Disengagement: encourage him to try harder and stop letting others bother him.",
                             "correct": False},
                            {"text": "Transportation: suggest a different bus.", "correct": False},
                        ],
                        "explanation": "Name the barrier accurately so the resource fits. The school has staff "
                                       "responsible for climate and safety, and the family should decide how and when "
                                       "they are involved.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Which resources in your community do you know well, and where are your gaps? Pick one "
                          "barrier from the list you feel least prepared for.",
                "guidance": "Before your first visit, find out one real option for that barrier from your coordinator "
                            "or a partner agency, including its hours and how a family gets there. Knowing the "
                            "details is what turns a referral into a connection.",
            }),
        ],
    },
    {
        "slug": "culture-language-and-interpreters",
        "title": "Culturally responsive practice and working with interpreters",
        "estimated_minutes": 30,
        "required": True,
        "in_refresher": False,
        "body": [
            ("text",
             "<h3>Curious, not expert</h3>"
             "<p>Being culturally responsive doesn't mean knowing facts about every culture. It means treating each "
             "family as the expert on its own life, and noticing the assumptions you bring.</p><ul>"
             "<li><strong>Ask, don't assume:</strong> the family's preferred language, how each person would like to "
             "be addressed, who is part of the family, and who makes decisions about school.</li>"
             "<li><strong>Follow the household's customs:</strong> shoes off at the door, where to sit, whether to "
             "accept food or drink.</li>"
             "<li><strong>Expect different ideas about school:</strong> some parents see questioning a teacher as "
             "disrespectful; some have had painful experiences of school themselves. Neither means they care "
             "less.</li>"
             "<li><strong>Watch your words:</strong> jargon, acronyms and idioms shut people out in any "
             "language.</li>"
             "</ul>"),
            ("text",
             "<h3>Working with an interpreter</h3>"
             "<p>When a family prefers another language, use a <strong>trained interpreter</strong> for calls and "
             "visits. Do not ask the student, a sibling, a neighbour or an untrained bilingual colleague to "
             "interpret: children should not carry adult conversations, and family members may leave things out to "
             "protect someone.</p><ul>"
             "<li><strong>Brief the interpreter first:</strong> the purpose of the visit, words likely to come up, "
             "how long it will take, and that everything is confidential.</li>"
             "<li><strong>Speak to the parent, not the interpreter.</strong> Look at the parent and use the first "
             "person: “What are your hopes for Sofia?”, not “Ask her what her hopes are.”</li>"
             "<li><strong>Keep it short:</strong> one or two sentences at a time, then pause.</li>"
             "<li><strong>No side conversations</strong> with the interpreter or your partner; everything said in the "
             "room is interpreted.</li>"
             "<li><strong>Allow extra time</strong>; an interpreted visit takes longer.</li>"
             "<li><strong>Debrief the interpreter</strong> afterwards: did anything not translate well, or any "
             "cultural point help you understand?</li>"
             "</ul>"
             "<p>The program's evaluation found smaller attendance effects for English learners. That is a reason to "
             "invest more care in language access, not less.</p>"),
            ("text",
             "<h3>Immigration concerns and trust</h3>"
             "<p>For some families, any official at the door is frightening. Be clear from the first words that you "
             "are from the child's school and that the visit is their choice.</p><ul>"
             "<li><strong>Don't ask</strong> about immigration status, and don't record it, even if it comes up.</li>"
             "<li><strong>Don't give legal advice or guarantees.</strong> If a family has questions or worries, offer "
             "to connect them with an immigration advocate.</li>"
             "<li><strong>Be accurate about privacy:</strong> say what you record and who at school sees it. Never "
             "promise that nothing can ever be shared.</li>"
             "<li><strong>Keep records minimal</strong>: the log holds only what is needed to support the "
             "student.</li>"
             "</ul>"),
            ("scenario", "first-visit-with-an-interpreter",
             "Include a fifth participant as the interpreter, and let the coach pause whenever a visitor speaks to "
             "the interpreter instead of the parent."),
            ("check", {
                "title": "Check: culture, language and interpreters",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "You're on an interpreted visit. Which is the right way to ask about the parent's "
                                  "hopes?",
                        "choices": [
                            {"text": "Look at the parent and say, “What are your hopes for Sofia?”", "correct": True},
                            {"text": "Turn to the interpreter and say, “Ask her what her hopes are for Sofia.”",
                             "correct": False},
                            {"text": "Explain the program for several minutes, then let the interpreter summarise.",
                             "correct": False},
                        ],
                        "explanation": "The relationship is with the parent. Speaking directly in the first person, "
                                       "in short pieces, keeps the parent at the centre and lets the interpreter "
                                       "render everything accurately.",
                    },
                    {
                        "prompt": "The student's 11-year-old brother offers to translate so you don't have to wait "
                                  "for the interpreter. What do you do?",
                        "choices": [
                            {"text": "Thank him warmly and say the interpreter is here so he can just be a kid today.",
                             "correct": True},
                            {"text": "Accept, since family members know the context best.", "correct": False},
                            {"text": "Let him do the easy parts and use the interpreter for serious topics.",
                             "correct": False},
                        ],
                        "explanation": "Children shouldn't carry adult conversations, and may soften or leave out "
                                       "things, especially about themselves. A trained interpreter protects both the "
                                       "child and the accuracy of what is said.",
                    },
                    {
                        "prompt": "A mother asks, “Will you tell anyone about us?” What is an honest response?",
                        "choices": [
                            {"text": "Explain what you do and don't do: you won't ask about immigration status, it "
                                     "isn't part of what you record, and what you write down stays with school staff "
                                     "who support her child. Offer an immigration advocate if she has questions.",
                             "correct": True},
                            {"text": "“Don't worry, nothing you tell us can ever be shared with anyone.”",
                             "correct": False},
                            {"text": "“If you have nothing to hide, you have nothing to worry about.”",
                             "correct": False},
                        ],
                        "explanation": "Trust comes from accurate answers. A blanket promise of secrecy is one you "
                                       "may not be able to keep (for example, safety concerns follow district "
                                       "protocol), and dismissing the fear shuts the conversation down.",
                    },
                    {
                        "prompt": "Which of these reflect culturally responsive practice? Choose all that apply.",
                        "choices": [
                            {"text": "Asking how each family member would like to be addressed.", "correct": True},
                            {"text": "Asking which language the family prefers, even though the parent spoke English "
                                     "on the phone.", "correct": True},
                            {"text": "Booking a Spanish interpreter for a Portuguese-speaking family, since the "
                                     "languages are close.", "correct": False},
                            {"text": "Memorising facts about the family's home country to show you understand their "
                                     "culture.", "correct": False},
                        ],
                        "explanation": "Responsiveness starts with asking and listening. Substituting a different "
                                       "language, or assuming a family fits general facts about a country, puts your "
                                       "assumptions ahead of the family.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "What ideas about school, family and “good parenting” did you grow up with? Which of them "
                          "might you carry, without noticing, into a family's home?",
                "guidance": "Pick one assumption and imagine a family for whom it isn't true. What question could you "
                            "ask instead of assuming? Consider bringing this to a Connection Session or Talk Tuesday.",
            }),
        ],
    },
    {
        "slug": "after-the-visit",
        "title": "After the visit: the visit log, reflection and self-care",
        "estimated_minutes": 25,
        "required": True,
        "in_refresher": True,
        "body": [
            ("text",
             "<h3>The visit log</h3>"
             "<p>Every visit and call is recorded in the same consistent log. Your school and district use it to "
             "follow up with families; pooled across districts, regions and the state, it shows which barriers are "
             "most common and where resources are missing. Complete it <strong>the same day</strong>, while details "
             "are fresh.</p><ul>"
             "<li><strong>Record:</strong> date, type and place (home, school, community, virtual or phone), who took "
             "part, language and interpreter, barriers discussed, resources offered, referrals and whether they "
             "connected, agreed next steps, and the family's choices (offered, accepted, declined, wishes to continue "
             "or stop).</li>"
             "<li><strong>Leave out:</strong> opinions about the home or the parents, guesses at diagnoses, "
             "immigration status, and private details that aren't needed to support the student.</li>"
             "<li><strong>Write as if the family will read it.</strong> Plain, factual and respectful.</li></ul>"
             "<p>The log is an education record and is private. Only people with a legitimate reason to support the "
             "student see it, and figures shared across districts hide small groups so no family can be "
             "identified.</p>"),
            ("text",
             "<h3>Reflect with your partner</h3>"
             "<p>Before you drive away, take ten minutes together:</p><ul>"
             "<li>What did we learn about the family's hopes for their child?</li>"
             "<li>What went well, and what would we do differently?</li>"
             "<li>What did we promise, who will do it, and by when?</li>"
             "<li>Is there anything we need to take to our coordinator today?</li></ul>"
             "<p>If something during a visit raises a concern about a child's safety, follow your <strong>district's "
             "mandated-reporting protocol</strong> and tell your coordinator. That process happens outside the Hub; "
             "don't put the details in the visit log.</p>"),
            ("text",
             "<h3>Looking after yourself</h3>"
             "<p>Home visits can be moving, joyful and heavy. You may hear about hunger, illness, loss or fear, and "
             "carry it home. That's a normal response to caring work, and it needs tending.</p><ul>"
             "<li><strong>Keep to your role.</strong> You are a bridge to help, not the only help. You don't have to "
             "solve everything.</li>"
             "<li><strong>Keep clear boundaries.</strong> Use your work phone and hours as your district advises; "
             "don't lend money; don't promise what you can't control.</li>"
             "<li><strong>Stay safe.</strong> Visit in pairs, let your coordinator know where you are, and leave if "
             "you feel unsafe.</li>"
             "<li><strong>Talk it through.</strong> With your partner, your coordinator, and other visitors at "
             "Connection Sessions or Talk Tuesdays, without identifying families.</li>"
             "<li><strong>Use the supports available</strong>, including the Hub's social-emotional health and "
             "wellness and Mental Health First Aid trainings.</li>"
             "</ul>"),
            ("check", {
                "title": "Check: after the visit",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "Which of these belong in the visit log? Choose all that apply.",
                        "choices": [
                            {"text": "The barriers the family named, using the log's categories.", "correct": True},
                            {"text": "A referral to a food pantry and, later, whether it connected.", "correct": True},
                            {"text": "Your impression that the apartment was messy.", "correct": False},
                            {"text": "The father's immigration status, since the mother mentioned it.",
                             "correct": False},
                        ],
                        "explanation": "The log records what helps support the student and what the program can learn "
                                       "from: barriers, resources, referrals and outcomes. Judgements and sensitive "
                                       "details that aren't needed stay out.",
                    },
                    {
                        "prompt": "During a visit, a student says something that makes you worried about their "
                                  "safety. What do you do?",
                        "choices": [
                            {"text": "Follow your district's mandated-reporting protocol and tell your coordinator; "
                                     "it's handled outside the Hub.", "correct": True},
                            {"text": "Write the details in the visit log so the coordinator sees them.",
                             "correct": False},
                            {"text": "Wait until the next visit to see whether it happens again.", "correct": False},
                        ],
                        "explanation": "Safety concerns go through the district's protocol promptly. The visit log "
                                       "isn't the place for them, and waiting can leave a child at risk.",
                    },
                    {
                        "prompt": "After a hard visit you keep thinking about the family late at night. What helps? "
                                  "Choose all that apply.",
                        "choices": [
                            {"text": "Debrief with your partner and your coordinator.", "correct": True},
                            {"text": "Bring the situation, without identifying details, to a Connection Session.",
                             "correct": True},
                            {"text": "Keep it to yourself; it's part of the job.", "correct": False},
                            {"text": "Give the family your personal number so you can check on them any time.",
                             "correct": False},
                        ],
                        "explanation": "Sharing the weight with colleagues is how visitors stay well and keep "
                                       "visiting. Blurring boundaries may feel caring but tends to exhaust you and "
                                       "leave the family depending on one person.",
                    },
                    {
                        "prompt": "After the third visit, the family decides they'd like to stop. What do you record "
                                  "and do?",
                        "choices": [
                            {"text": "Record their decision, thank them warmly, and make sure they know how to reach "
                                     "the school.", "correct": True},
                            {"text": "Record nothing; only visits go in the log.", "correct": False},
                            {"text": "Note that the family was uncooperative.", "correct": False},
                        ],
                        "explanation": "The family's choices are recorded as events, and stopping is a legitimate "
                                       "choice. Ending on good terms keeps the door open.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "What is one thing you will do after every visit to look after yourself, and who will you "
                          "talk to after a hard one?",
                "guidance": "Make it small and real: a walk, ten quiet minutes in the car, a call with your partner. "
                            "Name the person. Plans made in advance are much easier to keep when a visit has been "
                            "difficult.",
            }),
        ],
    },
]


# --------------------------------------------------------------------------------------------
# Social-emotional health and wellness
# --------------------------------------------------------------------------------------------

SEHW_MODULES = [
    {
        "slug": "noticing-stress-and-trauma-responses",
        "title": "Noticing stress and trauma responses in students and families",
        "estimated_minutes": 25,
        "required": True,
        "in_refresher": False,
        "body": [
            ("text",
             "<h3>What stress can look like</h3>"
             "<p>Stress and past trauma often show up sideways, as behaviour rather than words. Missing school can be "
             "one of the signs. In students you may notice:</p><ul>"
             "<li>stomach aches, headaches or feeling sick on school mornings</li>"
             "<li>trouble sleeping, or being exhausted during the day</li>"
             "<li>irritability, anger or tears that seem bigger than the moment</li>"
             "<li>withdrawal: hood up, one-word answers, avoiding friends or places</li></ul>"
             "<p>In parents and carers you may see missed calls and appointments, forgetfulness, a short temper, or a "
             "flat “it's fine”. These are often signs of someone carrying a great deal, not signs that they don't "
             "care. Bodies under stress tend to fight, flee or freeze, and behaviour usually makes sense once you "
             "know the context.</p>"
             "<p><strong>Notice, don't diagnose.</strong> Your role is to see, listen and connect, not to name a "
             "condition.</p>"),
            ("text",
             "<h3>Trauma-informed habits on a visit</h3><ul>"
             "<li><strong>Predictability:</strong> say what the visit is for, how long it will take and what you'll "
             "do with what you hear.</li>"
             "<li><strong>Choice:</strong> where to meet, where to sit, what to talk about, whether to continue.</li>"
             "<li><strong>No digging:</strong> don't ask for details of painful events; let people share at their own "
             "pace. “What happened?” is gentler than “Why?”</li>"
             "<li><strong>Strengths first:</strong> what is going well, and who helps this family?</li>"
             "<li><strong>Your own reactions:</strong> notice when a story hits close to home, and stay steady.</li>"
             "</ul>"),
            ("scenario", "second-visit-meeting-the-teacher",
             "Watch for Nia's stress signals and practise responding without diagnosing or taking the decision away "
             "from her."),
            ("check", {
                "title": "Check: noticing stress",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "A ninth-grader tells you she feels sick and can't breathe on the bus every "
                                  "morning. What is the best response?",
                        "choices": [
                            {"text": "Listen, reflect what she said, ask what helps, and ask whether she and her aunt "
                                     "would like help talking with the school nurse or counselor.", "correct": True},
                            {"text": "Tell her it sounds like panic attacks and teach her a breathing technique.",
                             "correct": False},
                            {"text": "Tell her everyone gets nervous and she just needs to push through.",
                             "correct": False},
                        ],
                        "explanation": "Take it seriously without labelling it. Diagnosing is outside a visitor's "
                                       "role, and brushing it off teaches her not to tell adults. Offering a "
                                       "connection, and letting her choose, is the right move.",
                    },
                    {
                        "prompt": "A parent snaps at you mid-visit, then apologises. Which reading helps most?",
                        "choices": [
                            {"text": "Stress often shows up as irritability. Stay calm, don't take it personally, and "
                                     "offer her the choice to carry on or pause.", "correct": True},
                            {"text": "It shows she doesn't want help, so you should end the visits.", "correct": False},
                            {"text": "Set firm rules about tone before continuing.", "correct": False},
                        ],
                        "explanation": "A steady, kind response tells the parent you can handle hard moments, which "
                                       "builds trust. Your own safety still comes first: if you feel unsafe, leave.",
                    },
                    {
                        "prompt": "Which are trauma-informed habits? Choose all that apply.",
                        "choices": [
                            {"text": "Telling the family what the visit is for and how long it will take.",
                             "correct": True},
                            {"text": "Offering choices about where to sit, what to discuss and whether to continue.",
                             "correct": True},
                            {"text": "Asking for the details of a painful event so you fully understand.",
                             "correct": False},
                            {"text": "Reassuring them that you know exactly how they feel.", "correct": False},
                        ],
                        "explanation": "Predictability and choice restore a sense of control. Digging for details can "
                                       "re-open wounds, and claiming to know exactly how someone feels tends to close "
                                       "a conversation down.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Think of a student you've known whose behaviour changed. Looking back, what might they "
                          "have been carrying?",
                "guidance": "Don't name the student. Notice what you saw first (behaviour) and what you learned later "
                            "(context). What would you want to ask, gently, next time?",
            }),
        ],
    },
    {
        "slug": "responding-and-referring-within-protocol",
        "title": "Responding and referring within district protocol",
        "estimated_minutes": 30,
        "required": True,
        "in_refresher": True,
        "body": [
            ("text",
             "<h3>Your role: notice, listen, connect</h3>"
             "<p>You are not a therapist on a home visit, even if you are a counselor by profession. Your role is to "
             "notice, listen without judgement and, with the family's agreement, connect them to people who can help: "
             "the school counselor, social worker, psychologist or nurse, or a community behavioural health "
             "provider.</p><ul>"
             "<li>Talk about help in ordinary words: “someone at school who helps students with stress”.</li>"
             "<li>Offer a warm handoff: an introduction by name, a call made together.</li>"
             "<li>Follow up and record the referral as connected or not connected.</li>"
             "<li>Respect the family's choice if they say no, and leave the door open.</li></ul>"),
            ("text",
             "<h3>When you are worried about safety</h3><ul><li><strong>Immediate danger:</strong> call 911.</li>"
             "<li><strong>Someone talking about suicide or in crisis:</strong> stay with them, and call or text 988, "
             "the Suicide &amp; Crisis Lifeline, or follow your district's crisis procedure.</li>"
             "<li><strong>Possible abuse or neglect:</strong> follow your <strong>district's mandated-reporting "
             "protocol</strong> promptly and tell your coordinator. Know whether you are a mandated reporter in your "
             "role and what your district expects of community-partner staff.</li>"
             "</ul>"
             "<p>Don't investigate or question the family to confirm a worry; that is for the people whose job it is. "
             "Never promise a student you'll keep a secret. Reporting happens <strong>outside the Hub</strong>; keep "
             "the details out of the visit log.</p>"),
            ("scenario", "later-visit-should-we-keep-going",
             "Focus on the moment Tyler says he's tired after his mother visits, and practise offering a connection "
             "to school support while respecting what Raymond wants to share."),
            ("check", {
                "title": "Check: responding and referring",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "A student asks you to promise not to tell anyone what she's about to say. What do "
                                  "you answer?",
                        "choices": [
                            {"text": "“I want to hear it. I can't promise to keep everything secret: if you tell me "
                                     "something that means you're not safe, I'd get help from people whose job is to "
                                     "keep you safe.”", "correct": True},
                            {"text": "“Of course, this stays between us.”", "correct": False},
                            {"text": "“Then please don't tell me; I don't want to have to report anything.”",
                             "correct": False},
                        ],
                        "explanation": "Honesty up front protects the student's trust. A promise of secrecy may have "
                                       "to be broken, and refusing to listen leaves the student alone with the "
                                       "problem.",
                    },
                    {
                        "prompt": "After a visit you are worried a young child may be left alone for long periods. "
                                  "What do you do?",
                        "choices": [
                            {"text": "Follow your district's mandated-reporting protocol promptly and tell your "
                                     "coordinator, keeping the details out of the visit log.", "correct": True},
                            {"text": "Go back and question the parent to find out whether it's true before doing "
                                     "anything.", "correct": False},
                            {"text": "Note it in the visit log and watch for it at the next visit.", "correct": False},
                        ],
                        "explanation": "Visitors report concerns; they don't investigate. The district protocol, "
                                       "outside the Hub, is there so the right people act in time.",
                    },
                    {
                        "prompt": "A grandfather says his grandson goes quiet and sad for days after his mother "
                                  "visits. Which response fits a visitor's role?",
                        "choices": [
                            {"text": "Listen, acknowledge how hard that is, and ask whether he'd like help connecting "
                                     "the boy with the school counselor or social worker.", "correct": True},
                            {"text": "Suggest he limit the mother's visits.", "correct": False},
                            {"text": "Reassure him it's a phase that will pass.", "correct": False},
                        ],
                        "explanation": "Family decisions belong to the family, and a visitor can't know whether it "
                                       "will pass. Offering a connection to school support, and letting him decide, "
                                       "is within your role.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Do you know your district's mandated-reporting protocol and who your school's counselor, "
                          "social worker and nurse are? Write down what you know and what you still need to find out.",
                "guidance": "If there are gaps, ask your coordinator before your next visit. In a difficult moment "
                            "you want to know the steps, not search for them.",
            }),
        ],
    },
    {
        "slug": "secondary-stress-and-boundaries",
        "title": "Caring for yourself: secondary stress and boundaries",
        "estimated_minutes": 25,
        "required": True,
        "in_refresher": True,
        "body": [
            ("text",
             "<h3>Secondary stress</h3>"
             "<p>Hearing about other people's hardship, again and again, affects the listener. This is "
             "<strong>secondary stress</strong>, and it is a normal response to caring work, not a sign you are in "
             "the wrong job. Watch for:</p><ul>"
             "<li>thinking about families when you're trying to rest, or trouble sleeping</li>"
             "<li>dreading your phone, or avoiding calls you used to enjoy</li>"
             "<li>feeling numb, cynical or short-tempered with people close to you</li>"
             "<li>feeling that if you don't fix it, no one will</li></ul>"),
            ("text",
             "<h3>Boundaries and support</h3>"
             "<p>Boundaries protect you and the family: they keep the relationship with the program, not with one "
             "person who may move on.</p><ul><li>Use work phones and working hours as your district advises.</li>"
             "<li>Don't lend money or take on tasks that belong to other services; connect instead.</li>"
             "<li>Follow your district's rules on gifts.</li>"
             "<li>Lean on your partner; that's one reason visitors go in pairs.</li>"
             "<li>Build a routine after visits, and talk with your coordinator, Connection Sessions and Talk "
             "Tuesdays, or your employer's employee assistance program if it has one.</li>"
             "</ul>"),
            ("check", {
                "title": "Check: looking after yourself",
                "pass_mark": 80,
                "questions": [
                    {
                        "prompt": "You've been dreading your phone and lying awake thinking about one family. Which "
                                  "are good steps? Choose all that apply.",
                        "choices": [
                            {"text": "Tell your coordinator and talk it through with your partner.", "correct": True},
                            {"text": "Use the support your employer offers, such as an employee assistance program.",
                             "correct": True},
                            {"text": "Take on more of the family's problems yourself so you can stop worrying.",
                             "correct": False},
                        ],
                        "explanation": "These are signs of secondary stress. Sharing the load, and getting support, "
                                       "helps you and keeps you able to visit. Doing more alone usually makes it "
                                       "worse.",
                    },
                    {
                        "prompt": "A parent you visit texts your personal phone at 10 pm asking to borrow money for "
                                  "rent. What's the best response?",
                        "choices": [
                            {"text": "Reply kindly in working hours through your work channel, say you can't lend "
                                     "money, offer to look at rent help together (for example through 2-1-1), and "
                                     "tell your coordinator.", "correct": True},
                            {"text": "Lend a small amount, since the relationship matters most.", "correct": False},
                            {"text": "Ignore the message and avoid the family from now on.", "correct": False},
                        ],
                        "explanation": "A clear, warm boundary keeps the relationship healthy and still points the "
                                       "family to real help. Lending money or going silent both damage trust.",
                    },
                    {
                        "prompt": "Why do boundaries help families, not just visitors?",
                        "choices": [
                            {"text": "They keep the family connected to the school and its resources, not dependent "
                                     "on one person who may move on.", "correct": True},
                            {"text": "They show the family who is in charge.", "correct": False},
                            {"text": "They mean you only need to talk about attendance.", "correct": False},
                        ],
                        "explanation": "Boundaries are about sustainability, not control. A family linked to several "
                                       "people and services is better supported than one that relies on a single "
                                       "visitor.",
                    },
                ],
            }),
            ("reflection", {
                "prompt": "Which sign of secondary stress do you recognise in yourself, now or in the past, and what "
                          "is one boundary you will keep this year?",
                "guidance": "Be honest and specific; this reflection is for you. A boundary you can name is easier to "
                            "keep, and easier to explain kindly to a family.",
            }),
        ],
    },
]


COURSES = [
    {
        "code": "LEAP-101",
        "slug": "leap-101",
        "title": "LEAP 101: Preparing for Relational Home Visits",
        "summary": (
            "An introduction for new LEAP home visitors, from the program's cornerstones and visit "
            "sequence to the first phone call, the first visit and what comes after. Modules combine "
            "short readings, role-play scenarios and knowledge checks, and the course ends with a live "
            "practice session with a trained coach."
        ),
        "audience": (
            "School staff and community-partner staff (such as Youth Service Bureaus and Boys & Girls "
            "Clubs) preparing for their first LEAP contact and visit, and experienced visitors renewing "
            "their certificate."
        ),
        "estimated_minutes": sum(m["estimated_minutes"] for m in LEAP_101_MODULES),
        "sequential": True,
        "requires_live_practice": True,
        "certificate_valid_months": 24,
        "modules": LEAP_101_MODULES,
    },
    {
        "code": "SEHW-101",
        "slug": "social-emotional-health-and-wellness",
        "title": "Social-emotional Health and Wellness for Home Visitors",
        "summary": (
            "How to notice stress and trauma responses in students and families, respond and refer "
            "within your district's protocol, and look after yourself in caring work. A companion to "
            "LEAP 101 and the Hub's Mental Health First Aid training."
        ),
        "audience": (
            "LEAP home visitors and school and district coordinators, and any district or partner staff "
            "who work directly with families."
        ),
        "estimated_minutes": sum(m["estimated_minutes"] for m in SEHW_MODULES),
        "sequential": False,
        "requires_live_practice": False,
        "certificate_valid_months": 24,
        "modules": SEHW_MODULES,
    },
]
